"""API keys and accounts over HTTP: secrets shown once and never again, hashes never shown,
registration off by default or limited to allowed domains."""

from __future__ import annotations

from pricing_core.access.audit import RequestInfo
from pricing_core.access.roles import Role
from tests.e2e.access.conftest import PASSWORD, Api, ApiFactory, bearer
from tests.gear.clock import FakeClock

KEYS = "/api/v1/auth/api-keys"


def test_a_key_is_shown_once_works_until_revoked_and_keeps_its_last_use(api: Api) -> None:
    admin_user, admin = api.session(Role.ADMIN)
    auth = bearer(admin["access_token"])
    body = {"name": "payroll sync", "role": "HR_ANALYST"}
    created = api.client.post(KEYS, json=body, headers=auth)
    assert created.status_code == 201
    assert created.headers["cache-control"] == "no-store"
    key = created.json()
    raw = key["key"]
    assert raw.startswith(key["prefix"])
    assert (key["role"], key["created_by"]) == ("HR_ANALYST", admin_user.id)
    assert key["last_used_at"] is None

    listed = api.client.get(KEYS, headers=auth)
    assert raw not in listed.text
    assert "key" not in next(k for k in listed.json()["items"] if k["id"] == key["id"])

    as_key = {"X-API-Key": raw}
    permissions = api.client.get("/api/v1/auth/me/permissions", headers=as_key)
    assert permissions.json()["role"] == "HR_ANALYST"
    assert api.client.get("/api/v1/auth/me", headers=as_key).status_code == 403  # no account
    used = api.client.get(KEYS, headers=auth).json()["items"]
    assert next(k for k in used if k["id"] == key["id"])["last_used_at"] is not None

    revoked = api.client.delete(f"{KEYS}/{key['id']}", headers=auth)
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    assert api.client.get("/api/v1/auth/me/permissions", headers=as_key).status_code == 401
    assert api.client.delete(f"{KEYS}/no-such-key", headers=auth).status_code == 404


def test_no_answer_carries_a_hash(api: Api) -> None:
    admin_user, admin = api.session(Role.ADMIN)
    auth = bearer(admin["access_token"])
    chosen = {"email": "given@example.com", "role": "VIEWER", "password": PASSWORD}
    created = api.client.post("/api/v1/auth/users", json=chosen, headers=auth)
    assert created.status_code == 201
    assert created.json()["one_time_password"] is None  # the administrator chose it
    api.client.post(KEYS, json={"name": "k", "role": "VIEWER"}, headers=auth)
    answers = [
        created,
        api.client.get("/api/v1/auth/users?limit=200", headers=auth),
        api.client.get(f"/api/v1/auth/users/{admin_user.id}", headers=auth),
        api.client.get("/api/v1/auth/me", headers=auth),
        api.client.get(KEYS, headers=auth),
    ]
    caller = api.container.access.authenticate(admin["access_token"], RequestInfo())
    stored_hashes = [k.key_hash for k in api.container.access.list_api_keys(caller)]
    for answer in answers:
        assert answer.status_code in {200, 201}
        for secret in ("$argon2", "password_hash", "key_hash", api.password_hash, *stored_hashes):
            assert secret not in answer.text


def test_registration_is_off_by_default(api: Api) -> None:
    response = api.client.post(
        "/api/v1/auth/register", json={"email": "walk-in@example.com", "password": PASSWORD}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert api.container.access.users.by_email("walk-in@example.com") is None


def test_registration_can_be_limited_to_domains(make_api: ApiFactory) -> None:
    api = make_api(
        clock=FakeClock(),
        PRICING_REGISTRATION_ENABLED="true",
        PRICING_REGISTRATION_DOMAINS="example.com",
    )
    outside = {"email": "someone@elsewhere.org", "password": PASSWORD}
    inside = {"email": "Someone@Example.com", "password": PASSWORD}
    refused = api.client.post("/api/v1/auth/register", json=outside)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "email"
    accepted = api.client.post("/api/v1/auth/register", json=inside)
    assert accepted.status_code == 201
    assert accepted.json()["email"] == "someone@example.com"
    again = api.client.post("/api/v1/auth/register", json=inside)
    assert again.status_code == 409
