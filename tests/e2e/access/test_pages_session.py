"""The pages' session over HTTP: CSRF on every form, cookie flags, lockout as in the API,
sign-out ending the session, and cookies that never authenticate the API."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

import pricing_api.pages
from pricing_core.access.roles import Role
from tests.e2e.access.conftest import PASSWORD, Api

CSRF = re.compile(r'name="_csrf" value="([^"]+)"')


def _csrf(api: Api) -> str:
    page = api.client.get("/")
    found = CSRF.search(page.text)
    assert found, page.text
    return found.group(1)


def _sign_in(api: Api, email: str, password: str = PASSWORD) -> httpx.Response:
    return api.client.post(
        "/",
        data={"email": email, "password": password, "_csrf": _csrf(api)},
        follow_redirects=False,
    )


def test_a_form_without_its_csrf_token_is_refused_and_signs_nobody_in(api: Api) -> None:
    user = api.add_user(Role.HR_ANALYST)
    api.client.cookies.clear()
    _csrf(api)  # the browser has the cookie, but another site cannot read it for the form
    answer = api.client.post(
        "/", data={"email": user.email, "password": PASSWORD}, follow_redirects=False
    )
    assert answer.status_code == 403
    assert "did not come from this site" in answer.text
    assert "pricing_access" not in answer.headers.get("set-cookie", "")
    forged = api.client.post(
        "/", data={"email": user.email, "password": PASSWORD, "_csrf": "guess"}
    )
    assert forged.status_code == 403


def test_signing_in_sets_httponly_samesite_cookies_holding_the_products_tokens(api: Api) -> None:
    user = api.add_user(Role.HR_ANALYST)
    api.client.cookies.clear()
    answer = _sign_in(api, user.email)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/price"
    cookies = answer.headers.get_list("set-cookie")
    session = [c for c in cookies if c.startswith(("pricing_access=", "pricing_refresh="))]
    assert len(session) == 2
    for cookie in session:
        assert "HttpOnly" in cookie
        assert "SameSite=lax" in cookie or "SameSite=Lax" in cookie
        assert "Secure" not in cookie  # plain HTTP here; behind TLS the flag is set
    assert api.client.get("/requests").status_code == 200


def test_cookies_do_not_authenticate_the_api(api: Api) -> None:
    user = api.add_user(Role.HR_ANALYST)
    api.client.cookies.clear()
    _sign_in(api, user.email)
    answer = api.client.get("/api/v1/auth/me")
    assert answer.status_code == 401
    assert answer.headers["content-type"].startswith("application/problem+json")


def test_signing_out_ends_the_session_for_its_tokens_too(api: Api) -> None:
    user = api.add_user(Role.HR_ANALYST)
    api.client.cookies.clear()
    _sign_in(api, user.email)
    token = api.client.cookies.get("pricing_access")
    assert token
    csrf = _csrf(api)
    out = api.client.post("/signout", data={"_csrf": csrf}, follow_redirects=False)
    assert out.status_code == 303
    assert api.client.get("/price", follow_redirects=False).headers["location"] == "/"
    # The access token the cookie held is revoked, as after the API's logout.
    answer = api.client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 401


def test_repeated_wrong_passwords_lock_the_account_as_in_the_api(api: Api) -> None:
    victim = api.add_user(Role.VIEWER)
    api.client.cookies.clear()
    answers = [_sign_in(api, victim.email, "wrong password") for _ in range(12)]
    codes = [a.status_code for a in answers]
    assert codes[0] == 401
    assert "invalid email or password" in answers[0].text
    assert 429 in codes
    locked = _sign_in(api, victim.email)
    assert locked.status_code == 429
    assert "Try again in" in locked.text


def test_the_pages_use_no_inline_script_or_style_so_a_strict_csp_holds() -> None:
    pages = Path(pricing_api.pages.__file__).parent / "templates"
    for template in pages.glob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), template.name
        assert not re.search(r"<style|\sstyle=|\son[a-z]+=", text), template.name


def test_an_expired_access_cookie_is_renewed_with_the_refresh_token(api: Api) -> None:
    user = api.add_user(Role.HR_ANALYST)
    api.client.cookies.clear()
    _sign_in(api, user.email)
    first = api.client.cookies.get("pricing_access")
    assert api.clock is not None
    api.clock.advance(minutes=20)  # past the access token's 15 minutes, within the refresh's
    answer = api.client.get("/requests", follow_redirects=False)
    assert answer.status_code == 200
    renewed = api.client.cookies.get("pricing_access")
    assert renewed
    assert renewed != first
    assert api.client.get("/requests", follow_redirects=False).status_code == 200
