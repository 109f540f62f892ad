"""Checklist 11, 12, 14 and 15 over HTTP: refresh rotation, reuse detection, idle and
absolute expiry, and the actions that end sessions at once."""

from __future__ import annotations

from typing import Any

import pytest

from pricing_core.access.roles import Role
from tests.e2e.access.conftest import PASSWORD, Api, bearer
from tests.gear.clock import FakeClock

ME = "/api/v1/auth/me"
REFRESH = "/api/v1/auth/refresh"


def refresh(api: Api, token: str) -> Any:
    return api.client.post(REFRESH, json={"refresh_token": token})


def rotate(api: Api, token: str) -> dict[str, Any]:
    response = refresh(api, token)
    assert response.status_code == 200, response.text
    tokens: dict[str, Any] = response.json()
    return tokens


def me(api: Api, access_token: str) -> int:
    return api.client.get(ME, headers=bearer(access_token)).status_code


def test_each_refresh_rotates_and_the_spent_token_is_refused(api: Api) -> None:
    _, first = api.session()
    second = rotate(api, first["refresh_token"])
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    assert second["token_type"] == "bearer"
    assert second["expires_in"] == 900
    third = rotate(api, second["refresh_token"])
    assert refresh(api, first["refresh_token"]).status_code == 401
    assert me(api, third["access_token"]) == 200


def test_reuse_of_a_spent_token_revokes_the_whole_family(api: Api) -> None:
    user, a = api.session()
    b = rotate(api, a["refresh_token"])
    c = rotate(api, b["refresh_token"])
    _, other = api.session(email=f"other-{user.email}")  # another family is untouched

    assert refresh(api, a["refresh_token"]).status_code == 401
    rows = api.events(action="authn_token_reuse", actor=user.id)
    assert len(rows) == 1
    assert rows[0].actor == user.id
    assert rows[0].target_type == "refresh_family"
    assert rows[0].outcome == "failure"
    assert refresh(api, c["refresh_token"]).status_code == 401  # the newest died with it
    refused = api.events(action="authn_refresh", actor=user.id)
    assert [e.detail["reason"] for e in refused] == ["revoked"]
    assert rotate(api, other["refresh_token"])


@pytest.mark.parametrize("database", ["memory", "sqlite"])
def test_a_lost_race_within_the_grace_leaves_the_winners_session_alive(
    make_api: Any, database: str, request: pytest.FixtureRequest
) -> None:
    """Issue 11 item 2, one request after another with a clock the test moves: the loser
    presents the token the winner spent a moment ago; later, the same is a replay."""
    url = "memory://" if database == "memory" else request.getfixturevalue("sqlite_url")
    clocked: Api = make_api(database_url=url, clock=FakeClock())
    user, first = clocked.session()
    winner = rotate(clocked, first["refresh_token"])
    clocked.clock.advance(seconds=1)  # type: ignore[union-attr]
    assert refresh(clocked, first["refresh_token"]).status_code == 401
    assert clocked.events(action="authn_token_reuse", actor=user.id) == []
    refused = clocked.events(action="authn_refresh", actor=user.id)
    assert [e.detail["reason"] for e in refused] == ["concurrent_use"]
    later = rotate(clocked, winner["refresh_token"])  # the winner's session lives
    clocked.clock.advance(minutes=1)  # type: ignore[union-attr]
    assert refresh(clocked, winner["refresh_token"]).status_code == 401  # now a replay
    assert len(clocked.events(action="authn_token_reuse", actor=user.id)) == 1
    assert refresh(clocked, later["refresh_token"]).status_code == 401  # family revoked


def test_idle_expiry(api: Api) -> None:
    assert api.clock is not None
    _, kept = api.session()
    _, idle = api.session()
    api.clock.advance(days=13, hours=23)
    kept = rotate(api, kept["refresh_token"])  # used within 14 days: lives on
    api.clock.advance(hours=1, seconds=1)  # the other one: 14 days and 1 s unused
    assert refresh(api, idle["refresh_token"]).status_code == 401
    assert rotate(api, kept["refresh_token"])


def test_absolute_expiry_even_right_after_a_rotation(api: Api) -> None:
    assert api.clock is not None
    user, tokens = api.session()
    for _ in range(3):  # days 10, 20 and 29: each within the idle limit
        api.clock.advance(days=10 if _ < 2 else 9)
        tokens = rotate(api, tokens["refresh_token"])
    api.clock.advance(days=1, seconds=1)  # 30 days and 1 s after login, 1 day after rotating
    assert refresh(api, tokens["refresh_token"]).status_code == 401
    reasons = [e.detail.get("reason") for e in api.events(action="authn_refresh", actor=user.id)]
    assert reasons == ["absolute_expiry"]


def test_logout_ends_the_access_token_and_the_family_at_once(api: Api) -> None:
    user, tokens = api.session()
    _, other_device = api.session(email=f"second-{user.email}")
    response = api.client.post("/api/v1/auth/logout", headers=bearer(tokens["access_token"]))
    assert response.status_code == 204
    assert me(api, tokens["access_token"]) == 401  # well before its exp
    assert refresh(api, tokens["refresh_token"]).status_code == 401
    assert me(api, other_device["access_token"]) == 200


def test_password_change_ends_every_session_and_answers_a_new_one(api: Api) -> None:
    user = api.add_user()
    laptop, phone = api.login(user.email), api.login(user.email)
    assert api.clock is not None
    api.clock.advance(seconds=2)
    response = api.client.post(
        "/api/v1/auth/me/change-password",
        json={"current_password": PASSWORD, "new_password": "a brand new passphrase"},
        headers=bearer(laptop["access_token"]),
    )
    assert response.status_code == 200, response.text
    fresh = response.json()
    for old in (laptop, phone):
        assert me(api, old["access_token"]) == 401
        assert refresh(api, old["refresh_token"]).status_code == 401
    assert me(api, fresh["access_token"]) == 200
    assert rotate(api, fresh["refresh_token"])


def test_deactivation_kills_the_users_tokens_within_one_request(api: Api) -> None:
    _, admin = api.session(Role.ADMIN)
    user, tokens = api.session(Role.HR_MANAGER)
    assert me(api, tokens["access_token"]) == 200
    response = api.client.delete(
        f"/api/v1/auth/users/{user.id}", headers=bearer(admin["access_token"])
    )
    assert response.status_code == 200
    assert response.json()["active"] is False
    assert me(api, tokens["access_token"]) == 401
    assert refresh(api, tokens["refresh_token"]).status_code == 401
    login = api.client.post("/api/v1/auth/login", json={"email": user.email, "password": PASSWORD})
    assert login.status_code == 401
    assert api.user(user.id).active is False  # deactivated, not deleted


def test_a_deactivated_user_can_be_reactivated_by_an_administrator(api: Api) -> None:
    """Issue 11: POST /users/{id}/reactivate undoes DELETE, audited; old tokens stay dead."""
    admin_user, admin = api.session(Role.ADMIN)
    user, tokens = api.session(Role.HR_MANAGER)
    url = f"/api/v1/auth/users/{user.id}"
    assert api.client.delete(url, headers=bearer(admin["access_token"])).status_code == 200
    back = api.client.post(f"{url}/reactivate", headers=bearer(admin["access_token"]))
    assert back.status_code == 200, back.text
    assert back.json()["active"] is True
    assert api.user(user.id).active is True
    assert me(api, tokens["access_token"]) == 401  # the old session stays ended
    assert me(api, api.login(user.email)["access_token"]) == 200
    rows = api.events(action="user_reactivate", target_id=user.id)
    assert [(r.actor, r.outcome) for r in rows] == [(admin_user.id, "success")]
    refused = api.client.post(f"{url}/reactivate", headers=bearer(tokens["access_token"]))
    assert refused.status_code == 401
    other, manager = api.session(Role.HR_MANAGER)
    forbidden = api.client.post(f"{url}/reactivate", headers=bearer(manager["access_token"]))
    assert forbidden.status_code == 403  # MANAGE_USERS is an administrator's
    assert other.id != user.id


def test_role_change_ends_the_users_sessions(api: Api) -> None:
    _, admin = api.session(Role.ADMIN)
    user, tokens = api.session(Role.HR_MANAGER)
    response = api.client.put(
        f"/api/v1/auth/users/{user.id}/role",
        json={"role": "VIEWER"},
        headers=bearer(admin["access_token"]),
    )
    assert response.status_code == 200
    assert response.json()["role"] == "VIEWER"
    assert me(api, tokens["access_token"]) == 401
    assert refresh(api, tokens["refresh_token"]).status_code == 401
    permissions = api.client.get(
        "/api/v1/auth/me/permissions", headers=bearer(api.login(user.email)["access_token"])
    )
    assert permissions.json()["role"] == "VIEWER"
