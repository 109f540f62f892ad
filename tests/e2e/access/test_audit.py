"""Checklist 20 on the memory app: what every audit row holds, what none may hold, line
breaks escaped; and the audit endpoint's filters and pages. (The database's refusal to
change rows is in test_real_servers.py.)"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from pricing_core.access.model import AuditEvent
from pricing_core.access.roles import Role
from tests.e2e.access.conftest import PASSWORD, Api, ApiFactory, bearer
from tests.gear.clock import FakeClock

AUDIT = "/api/v1/audit-logs"
NEW_PASSWORD = "a different long passphrase"
WRONG_PASSWORD = "an entirely wrong passphrase"
CRLF_EMAIL = "mallory@example.com\r\n2026-03-02 INFO admin@example.com logged in"


@pytest.fixture(scope="module")
def busy(make_module_api: ApiFactory) -> tuple[Api, list[str]]:
    """An app after a day's worth of auth traffic, and every secret that went through it."""
    api = make_module_api(clock=FakeClock(), PRICING_REGISTRATION_ENABLED="true")
    return api, traffic(api)


@pytest.fixture
def fresh_busy(make_api: ApiFactory) -> tuple[Api, list[str]]:
    """The same, of this test's own: for counting everything in the log."""
    api = make_api(clock=FakeClock(), PRICING_REGISTRATION_ENABLED="true")
    return api, traffic(api)


def traffic(api: Api) -> list[str]:
    """Register, fail, log in, refresh, reuse, change a password, log out, use keys and bad
    tokens; returns every password and token that went over the wire."""
    secrets = [PASSWORD, NEW_PASSWORD, WRONG_PASSWORD]
    post, get = api.client.post, api.client.get

    def status(response: Any) -> int:
        code: int = response.status_code
        return code

    registered = {"email": "reg@example.com", "password": PASSWORD}
    assert status(post("/api/v1/auth/register", json=registered)) == 201
    user = api.add_user(Role.HR_ANALYST)
    for email in (user.email, CRLF_EMAIL):
        wrong = {"email": email, "password": WRONG_PASSWORD}
        assert status(post("/api/v1/auth/login", json=wrong)) == 401
    first = api.login(user.email)
    second = post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}).json()
    assert api.clock is not None
    api.clock.advance(minutes=1)  # past the grace in which a second use is a lost race
    for spent_or_bogus in (first["refresh_token"], "bogus-refresh-token"):
        again = post("/api/v1/auth/refresh", json={"refresh_token": spent_or_bogus})
        assert status(again) == 401
    changed = post(
        "/api/v1/auth/me/change-password",
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        headers=bearer(second["access_token"]),
    ).json()
    assert status(post("/api/v1/auth/logout", headers=bearer(changed["access_token"]))) == 204
    _, admin = api.session(Role.ADMIN)
    key = post(
        "/api/v1/auth/api-keys",
        json={"name": "etl", "role": "VIEWER"},
        headers=bearer(admin["access_token"]),
    ).json()["key"]
    assert status(get("/api/v1/auth/me/permissions", headers={"X-API-Key": key})) == 200
    assert status(get("/api/v1/auth/users", headers={"X-API-Key": key})) == 403
    assert status(get("/api/v1/auth/me", headers=bearer("pricing_not-a-real-key"))) == 401
    assert status(get("/api/v1/auth/me", headers=bearer(first["access_token"] + "x"))) == 401
    for tokens in (first, second, changed, admin):
        secrets += [tokens["access_token"], tokens["refresh_token"]]
    secrets.append(key)
    return secrets


def all_rows(api: Api) -> list[AuditEvent]:
    rows = api.events()
    assert len(rows) < 200  # one page holds them all
    return rows


def test_no_row_holds_a_password_or_a_raw_token(busy: tuple[Api, list[str]]) -> None:
    api, secrets = busy
    stored = json.dumps([_row(e) for e in all_rows(api)], ensure_ascii=False)
    admin = api.session(Role.ADMIN)[1]
    served = api.client.get(f"{AUDIT}?limit=200", headers=bearer(admin["access_token"])).text
    for secret in secrets:
        assert secret not in stored
        assert secret not in served
        assert secret[:20] not in stored  # not even a long piece of one


def _row(event: AuditEvent) -> dict[str, Any]:
    return {
        "at": event.at.isoformat(),
        "actor": event.actor,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "outcome": str(event.outcome),
        "ip": event.ip,
        "user_agent": event.user_agent,
        "request_id": event.request_id,
        "detail": dict(event.detail),
    }


def test_every_auth_row_says_when_who_what_on_what_how_and_from_where(
    busy: tuple[Api, list[str]],
) -> None:
    api, _ = busy
    rows = all_rows(api)
    actions = {e.action for e in rows}
    assert {
        "user_register",
        "authn_login",
        "authn_refresh",
        "authn_token_reuse",
        "password_change",
        "authn_logout",
        "apikey_create",
        "authz_fail",
        "authn_token",
    } <= actions
    anonymous = {
        ("authn_login", "unknown_email"),
        ("authn_token", "unknown key"),
        ("authn_refresh", "unknown"),
    }
    for e in rows:
        assert e.at.utcoffset() == timedelta(0), e
        assert e.action
        assert str(e.outcome) in {"success", "failure", "denied"}
        assert e.ip == "testclient", e
        assert e.request_id, e
        if (e.action, e.detail.get("reason")) not in anonymous and e.action != "authn_token":
            assert e.actor, e
            assert e.target_type, e
    logins = [e.request_id for e in rows if e.action == "authn_login"]
    assert len(logins) >= 4
    assert len(logins) == len(set(logins))  # each its own request


def test_refused_token_rows_name_a_target(busy: tuple[Api, list[str]]) -> None:
    api, _ = busy
    rows = [e for e in all_rows(api) if e.action == "authn_token"]
    assert rows
    assert all(e.target_type and e.target_id for e in rows)


def test_line_breaks_in_a_username_are_escaped(busy: tuple[Api, list[str]]) -> None:
    api, _ = busy
    rows = all_rows(api)
    forged = [e for e in rows if "mallory" in str(e.detail.get("email", ""))]
    assert len(forged) == 1
    assert str(forged[0].detail["email"]).startswith("mallory@example.com\\r\\n2026-03-02 info")
    for e in rows:
        text = json.dumps(_row(e), ensure_ascii=False)
        assert "\r" not in text
        assert "\n" not in text


def test_a_name_with_a_line_break_is_refused(api: Api) -> None:
    _, tokens = api.session()
    response = api.client.put(
        "/api/v1/auth/me", json={"name": "Eve\r\nadmin"}, headers=bearer(tokens["access_token"])
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "name"


def test_the_audit_endpoint_filters_and_pages(fresh_busy: tuple[Api, list[str]]) -> None:
    api, _ = fresh_busy
    assert api.clock is not None
    api.clock.advance(hours=1)
    later = api.session(Role.VIEWER)[0]
    admin = bearer(api.session(Role.ADMIN)[1]["access_token"])
    get = api.client.get

    failures = get(AUDIT, params={"action": "authn_login", "outcome": "failure"}, headers=admin)
    body = failures.json()
    assert failures.status_code == 200
    assert body["total"] == 2
    assert {(i["action"], i["outcome"]) for i in body["items"]} == {("authn_login", "failure")}

    page = get(AUDIT, params={"limit": 2, "offset": 1}, headers=admin).json()
    everything = get(AUDIT, params={"limit": 200}, headers=admin).json()
    assert (page["limit"], page["offset"], page["total"]) == (2, 1, everything["total"])
    assert page["items"] == everything["items"][1:3]  # newest first, stable

    mine = get(AUDIT, params={"actor": later.id}, headers=admin).json()
    assert [i["action"] for i in mine["items"]] == ["authn_login"]
    target = get(AUDIT, params={"target_type": "user", "target_id": later.id}, headers=admin)
    assert target.json()["total"] == 1

    cut = (api.clock.now() - timedelta(minutes=30)).isoformat()
    since = get(AUDIT, params={"since": cut}, headers=admin).json()
    until = get(AUDIT, params={"until": cut, "limit": 200}, headers=admin).json()
    assert since["total"] + until["total"] == everything["total"]
    assert since["total"] == 2  # only the two later logins

    for bad in ({"limit": 201}, {"limit": 0}, {"offset": -1}, {"outcome": "maybe"}):
        assert get(AUDIT, params=bad, headers=admin).status_code == 400, bad
    for method in ("PUT", "PATCH", "DELETE", "POST"):
        assert api.client.request(method, AUDIT, headers=admin).status_code == 405
