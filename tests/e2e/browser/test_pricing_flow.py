"""An analyst prices a job by its title, picks another candidate, saves and submits it; the
creator sees no Approve button; a manager approves it; the history shows every step."""

from __future__ import annotations

import re
from typing import Any

from tests.e2e.browser.gear import (
    PASSWORD,
    need_a_browser,
    screenshot,
    serious_violations,
    sign_in,
)

need_a_browser()

AMOUNT = re.compile(r"^\d{1,3}(,\d{3})+$")  # 189,400


def _price(page: Any, title: str, area: str) -> None:
    page.goto("/price")
    page.get_by_label("Job title").fill(title)
    page.get_by_label("Area").fill(area)
    page.get_by_role("button", name="Price", exact=True).click()
    page.wait_for_selector("[data-testid=range-mid]")


def test_price_pick_save_submit_then_a_manager_approves(new_page: Any) -> None:
    analyst = new_page()
    sign_in(analyst, "hr_analyst")
    _price(analyst, "software developer", "Seattle")
    for end in ("min", "mid", "max"):
        assert AMOUNT.match(analyst.get_by_test_id(f"range-{end}").inner_text())
    chart = analyst.get_by_role("img", name=re.compile("Recommended range"))
    assert chart.count() == 1
    title = analyst.locator("svg[role=img] title").text_content() or ""
    assert title.startswith("Recommended range")
    assert "P10 to P90" in title
    assert "Software Developers (15-1252)" in analyst.locator("#match-heading + p").inner_text()
    assert serious_violations(analyst) == []
    screenshot(analyst, "price")

    analyst.get_by_role("button", name=re.compile(r"Price as Web Developers")).click()
    analyst.wait_for_selector("text=was priced as")
    assert "Web Developers (15-1254)" in analyst.locator("#match-heading + p").inner_text()

    analyst.get_by_role("button", name="Save as pricing request").click()
    analyst.wait_for_url(re.compile(r"/requests/[^/]+$"))
    assert analyst.get_by_test_id("status").inner_text() == "draft"
    analyst.get_by_role("button", name="Submit").click()
    analyst.wait_for_selector("[data-testid=status]:has-text('submitted')")
    request_url = analyst.url
    assert analyst.get_by_role("button", name="Approve").count() == 0  # four eyes
    assert serious_violations(analyst) == []

    manager = new_page()
    sign_in(manager, "hr_manager")
    manager.goto("/requests?status=submitted")
    assert serious_violations(manager) == []
    screenshot(manager, "requests")
    manager.goto(request_url)
    screenshot(manager, "request-to-approve")
    manager.get_by_label("Approval comment").fill("In line with the market")
    manager.get_by_role("button", name="Approve").click()
    manager.wait_for_selector("[data-testid=status]:has-text('approved')")
    history = manager.locator("ol.history li").all_inner_texts()
    assert [line.split(" ")[0] for line in history] == ["create", "submit", "approve"]
    assert "manager@example.com" not in history[0]
    assert serious_violations(manager) == []
    assert analyst.csp_errors == []
    assert manager.csp_errors == []


def test_an_adjusted_range_without_a_comment_is_refused_beside_the_field(new_page: Any) -> None:
    analyst = new_page()
    sign_in(analyst, "hr_analyst")
    _price(analyst, "registered nurse", "Boston")
    analyst.get_by_role("button", name="Save as pricing request").click()
    analyst.get_by_role("button", name="Submit").click()
    analyst.wait_for_selector("[data-testid=status]:has-text('submitted')")
    manager = new_page()
    sign_in(manager, "hr_manager")
    manager.goto(analyst.url)
    manager.get_by_label("Adjusted minimum").fill("90,000")
    manager.get_by_label("Adjusted midpoint").fill("100,000")
    manager.get_by_label("Adjusted maximum").fill("110,000")
    manager.get_by_role("button", name="Approve").click()
    error = manager.locator("#e-approve-comment")
    assert "required" in error.inner_text()
    assert manager.get_by_test_id("status").inner_text() == "submitted"


def test_a_wrong_password_is_told_in_words_and_a_phone_width_works(new_page: Any) -> None:
    page = new_page(width=390, height=844)
    page.goto("/")
    assert serious_violations(page) == []
    screenshot(page, "sign-in-phone")
    page.get_by_label("Email").fill("analyst@example.com")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    assert "invalid email or password" in page.get_by_role("alert").inner_text()
    sign_in(page, "hr_analyst")
    page.goto("/price")
    page.get_by_label("Job title").fill("accountant")
    page.get_by_label("Area").fill("Atlantis")
    page.get_by_role("button", name="Price", exact=True).click()
    area_error = page.locator("#e-area")
    assert "unknown area 'Atlantis'" in area_error.inner_text()
    assert page.get_by_label("Area").get_attribute("aria-invalid") == "true"
    _price(page, "accountant", "Chicago")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, "the priced page scrolls sideways at a phone's width"
    screenshot(page, "price-phone")


def test_signing_out_ends_the_session(new_page: Any) -> None:
    page = new_page()
    sign_in(page, "viewer")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/$"))
    page.goto("/requests")
    assert page.get_by_role("button", name="Sign in").count() == 1


def test_signing_in_works_from_the_keyboard_with_a_visible_focus(new_page: Any) -> None:
    page = new_page()
    page.goto("/")
    email = page.get_by_label("Email")
    email.focus()
    outline = email.evaluate(
        "e => getComputedStyle(e).outlineStyle + ' ' + getComputedStyle(e).outlineWidth"
    )
    assert outline.startswith("solid"), outline
    page.keyboard.type("analyst@example.com")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "f-password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/price")
