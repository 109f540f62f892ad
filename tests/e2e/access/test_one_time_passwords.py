"""Issue 11 item 4: a generated one-time password forces a change and expires.

Logging in with it answers `password_change_required: true`; until the password is changed
every route but `GET /auth/me`, change-password and logout answers 403
`password_change_required`, whether it needs a permission or only a signed-in caller; after
PRICING_ONE_TIME_PASSWORD_HOURS (72 by default) it no longer logs in.
"""

from __future__ import annotations

from typing import Any

import pytest

from pricing_core.access.roles import Role
from tests.e2e.access.conftest import Api, ApiFactory, bearer
from tests.gear.clock import FakeClock

USERS = "/api/v1/auth/users"
LOGIN = "/api/v1/auth/login"
ME = "/api/v1/auth/me"
CHANGE = "/api/v1/auth/me/change-password"
NEW_PASSWORD = "a passphrase of my very own"
# Routes of every kind: an authenticated one, ones needing a permission, a use case's own.
REFUSED = [
    ("GET", "/api/v1/auth/me/permissions"),
    ("PUT", ME),
    ("GET", "/api/v1/market/sources"),
    ("GET", "/api/v1/pricing-requests"),
    ("GET", USERS),
]


@pytest.fixture
def clocked(make_api: ApiFactory) -> Api:
    return make_api(clock=FakeClock())


def created(api: Api, role: str = "HR_MANAGER") -> tuple[str, str]:
    """An account an administrator made without a password: (email, one-time password)."""
    _, admin = api.session(Role.ADMIN)
    email = f"new-{role.lower()}@example.com"
    body = {"email": email, "role": role, "name": "New Person"}
    response = api.client.post(USERS, json=body, headers=bearer(admin["access_token"]))
    assert response.status_code == 201, response.text
    answer = response.json()
    assert answer["password_change_required"] is True
    assert answer["one_time_password_expires_at"] is not None
    return email, answer["one_time_password"]


def login(api: Api, email: str, password: str) -> Any:
    return api.client.post(LOGIN, json={"email": email, "password": password})


def call(api: Api, method: str, path: str, token: str) -> Any:
    body = {"name": "Renamed"} if method == "PUT" else None
    return api.client.request(method, path, json=body, headers=bearer(token))


def test_a_one_time_password_opens_only_the_way_to_change_it(clocked: Api) -> None:
    email, one_time = created(clocked)
    answer = login(clocked, email, one_time)
    assert answer.status_code == 200, answer.text
    tokens = answer.json()
    assert tokens["password_change_required"] is True
    token = tokens["access_token"]

    me = call(clocked, "GET", ME, token)
    assert me.status_code == 200
    assert me.json()["password_change_required"] is True
    for method, path in REFUSED:
        refused = call(clocked, method, path, token)
        assert refused.status_code == 403, (path, refused.text)
        assert refused.json()["code"] == "password_change_required"

    changed = clocked.client.post(
        CHANGE,
        json={"current_password": one_time, "new_password": NEW_PASSWORD},
        headers=bearer(token),
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["password_change_required"] is False
    fresh = changed.json()["access_token"]
    for method, path in REFUSED:  # an HR_MANAGER still may not list users: no other 403
        after = call(clocked, method, path, fresh)
        assert after.status_code in {200, 403}, after.text
        assert after.json().get("code") != "password_change_required"
    assert call(clocked, "GET", USERS, fresh).json()["code"] == "forbidden"
    assert call(clocked, "GET", ME, fresh).json()["password_change_required"] is False
    assert login(clocked, email, NEW_PASSWORD).json()["password_change_required"] is False
    assert login(clocked, email, one_time).status_code == 401


def test_the_one_time_password_cannot_be_kept_as_the_new_one(clocked: Api) -> None:
    email, one_time = created(clocked)
    token = login(clocked, email, one_time).json()["access_token"]
    kept = clocked.client.post(
        CHANGE,
        json={"current_password": one_time, "new_password": one_time},
        headers=bearer(token),
    )
    assert kept.status_code == 422
    assert kept.json()["rule"] == "reused"


def test_logout_works_before_the_change(clocked: Api) -> None:
    email, one_time = created(clocked)
    token = login(clocked, email, one_time).json()["access_token"]
    assert clocked.client.post("/api/v1/auth/logout", headers=bearer(token)).status_code == 204
    assert call(clocked, "GET", ME, token).status_code == 401


def test_a_refreshed_session_stays_restricted(clocked: Api) -> None:
    email, one_time = created(clocked)
    tokens = login(clocked, email, one_time).json()
    body = {"refresh_token": tokens["refresh_token"]}
    rotated = clocked.client.post("/api/v1/auth/refresh", json=body).json()
    assert rotated["password_change_required"] is True
    refused = call(clocked, "GET", "/api/v1/auth/me/permissions", rotated["access_token"])
    assert refused.json()["code"] == "password_change_required"


def test_the_one_time_password_expires_after_72_hours_by_default(clocked: Api) -> None:
    email, one_time = created(clocked)
    tokens = login(clocked, email, one_time).json()
    assert clocked.clock is not None
    clocked.clock.advance(hours=71, minutes=59)
    assert login(clocked, email, one_time).status_code == 200
    clocked.clock.advance(minutes=1)
    expired = login(clocked, email, one_time)
    assert expired.status_code == 401
    assert expired.json()["code"] == "one_time_password_expired"
    assert "expired" in expired.json()["detail"]
    body = {"refresh_token": tokens["refresh_token"]}
    assert clocked.client.post("/api/v1/auth/refresh", json=body).status_code == 401
    rows = clocked.events(action="authn_login")
    assert rows[0].detail["reason"] == "one_time_password_expired"


def test_the_lifetime_is_a_setting(make_api: ApiFactory) -> None:
    api = make_api(clock=FakeClock(), PRICING_ONE_TIME_PASSWORD_HOURS="1")
    email, one_time = created(api)
    assert api.clock is not None
    api.clock.advance(hours=1)
    assert login(api, email, one_time).json()["code"] == "one_time_password_expired"


def test_a_password_the_administrator_chose_is_not_one_time(clocked: Api) -> None:
    _, admin = clocked.session(Role.ADMIN)
    body = {"email": "chosen@example.com", "role": "VIEWER", "password": NEW_PASSWORD}
    made = clocked.client.post(USERS, json=body, headers=bearer(admin["access_token"]))
    assert made.status_code == 201, made.text
    assert made.json()["password_change_required"] is False
    assert (
        login(clocked, "chosen@example.com", NEW_PASSWORD).json()["password_change_required"]
        is False
    )


def test_an_administrator_resets_an_expired_one_time_password(clocked: Api) -> None:
    email, one_time = created(clocked)
    assert clocked.clock is not None
    clocked.clock.advance(hours=73)
    assert login(clocked, email, one_time).status_code == 401
    admin_user, admin = clocked.session(Role.ADMIN)
    user = clocked.container.access.users.by_email(email)
    assert user is not None
    url = f"{USERS}/{user.id}/reset-password"
    reset = clocked.client.post(url, headers=bearer(admin["access_token"]))
    assert reset.status_code == 200, reset.text
    assert reset.headers["cache-control"] == "no-store"
    again = reset.json()["one_time_password"]
    assert again
    assert again != one_time
    tokens = login(clocked, email, again).json()
    assert tokens["password_change_required"] is True
    rows = clocked.events(action="password_reset", target_id=user.id)
    assert [(r.actor, str(r.outcome)) for r in rows] == [(admin_user.id, "success")]
    assert again not in repr(rows)
    own = clocked.client.post(
        f"{USERS}/{admin_user.id}/reset-password", headers=bearer(admin["access_token"])
    )
    assert own.status_code == 409
