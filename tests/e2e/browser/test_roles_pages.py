"""Market data and administration in the browser: a bad survey's report, row by row; what a
viewer is not offered; the admin's pages pass the accessibility check."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tests.e2e.browser.gear import need_a_browser, screenshot, serious_violations, sign_in

need_a_browser()

HEADER = (
    "job_code,job_title,area_code,industry_code,currency,effective_date,"
    "p10,p25,p50,p75,p90,pay_period,incumbents,organizations\n"
)
BAD = HEADER + (
    "ENG-1,Engineer,0041940,,USD,2025-11-01,,,-5,,,annual,,\n"
    "ENG-2,Engineer,9999999,,XYZ,2025-13-01,,,100000,,,annual,,\n"
)


def test_a_bad_survey_is_refused_with_its_report(new_page: Any, tmp_path: Path) -> None:
    survey = tmp_path / "bad-survey.csv"
    survey.write_text(BAD, encoding="utf-8")
    admin = new_page()
    sign_in(admin, "admin")
    admin.goto("/market")
    admin.get_by_label("Survey file").set_input_files(str(survey))
    admin.get_by_label("Source name").fill("acme-2025")
    admin.get_by_role("button", name="Upload").click()
    admin.wait_for_selector("#report")
    assert "rejected" in admin.locator("#report-heading").inner_text()
    rows = [
        tuple(cell.strip() for cell in row.split("\t"))
        for row in admin.locator("table.report tbody tr").all_inner_texts()
    ]
    assert ("3", "currency", "XYZ") in [r[:3] for r in rows], rows
    assert ("2", "p50", "-5") in [r[:3] for r in rows], rows
    assert all(r[3] for r in rows), "every refused row says why"
    assert serious_violations(admin) == []
    screenshot(admin, "market-upload-report")
    assert admin.csp_errors == []


def test_a_viewer_sees_no_market_or_admin_actions(new_page: Any) -> None:
    viewer = new_page()
    sign_in(viewer, "viewer")
    links = viewer.get_by_role("navigation", name="Main").get_by_role("link").all_inner_texts()
    assert links == ["Price a job", "Pricing requests", "Market data"]
    viewer.goto("/market")
    assert viewer.get_by_role("button", name="Upload").count() == 0
    assert viewer.get_by_role("button", name=re.compile("^Activate")).count() == 0
    assert serious_violations(viewer) == []
    for path in ("/admin/users", "/admin/audit"):
        answer = viewer.goto(path)
        assert answer is not None
        assert answer.status == 403
    viewer.goto("/price?title=nurse&area=Boston")
    assert viewer.get_by_role("button", name="Save as pricing request").count() == 0


def test_an_admin_creates_an_account_changes_its_role_deactivates_and_reactivates_it(
    new_page: Any,
) -> None:
    admin = new_page()
    sign_in(admin, "admin")
    admin.goto("/admin/users")
    admin.get_by_label("Email").fill("newcomer@example.com")
    admin.get_by_label("Role", exact=True).select_option("HR_ANALYST")
    admin.get_by_role("button", name="Create with a one-time password").click()
    one_time = admin.get_by_test_id("one-time-password").inner_text()
    assert len(one_time) >= 12

    newcomer = new_page()
    newcomer.goto("/")
    newcomer.get_by_label("Email").fill("newcomer@example.com")
    newcomer.get_by_label("Password").fill(one_time)
    newcomer.get_by_role("button", name="Sign in").click()
    newcomer.wait_for_url(re.compile(r"/(price|password\?required=1)$"))
    newcomer.goto("/password")
    newcomer.get_by_label("Current password").fill(one_time)
    newcomer.get_by_label("New password", exact=True).fill("a password of my own 42")
    newcomer.get_by_label("Repeat the new password").fill("a password of my own 42")
    newcomer.get_by_role("button", name="Change password").click()
    assert "Your password is changed" in newcomer.get_by_role("status").inner_text()

    admin.goto("/admin/users")
    admin.get_by_label("Role of newcomer@example.com", exact=True).select_option("HR_MANAGER")
    admin.get_by_role("button", name="Change role of newcomer@example.com").click()
    role = admin.get_by_label("Role of newcomer@example.com", exact=True)
    assert role.input_value() == "HR_MANAGER"
    assert serious_violations(admin) == []
    screenshot(admin, "users")
    admin.get_by_role("button", name="Deactivate newcomer@example.com").click()
    row = admin.get_by_role("row", name=re.compile("newcomer@example.com"))
    assert "deactivated" in row.inner_text()
    admin.get_by_role("button", name="Reactivate newcomer@example.com").click()
    row = admin.get_by_role("row", name=re.compile("newcomer@example.com"))
    assert "deactivated" not in row.inner_text()
    assert admin.get_by_role("button", name="Deactivate newcomer@example.com").count() == 1

    admin.goto("/admin/audit?action=user_create")
    actions = admin.locator("table.list tbody tr td:nth-child(2)").all_inner_texts()
    assert actions, "the filter found the account's creation"
    assert set(actions) == {"user_create"}, actions
    assert serious_violations(admin) == []
    screenshot(admin, "audit")
