"""Checklist 19: nobody reaches another account by its id without the permission, and no
request body sets a field it may not (role, email, active…)."""

from __future__ import annotations

from typing import Any

import pytest

from pricing_core.access.roles import Role
from tests.e2e.access.conftest import Api, bearer
from tests.gear.clock import FakeClock

USERS = "/api/v1/auth/users"


@pytest.mark.parametrize("role", [Role.VIEWER, Role.HR_ANALYST, Role.HR_MANAGER])
def test_a_user_cannot_read_change_or_deactivate_another_by_id(api: Api, role: Role) -> None:
    _, tokens = api.session(role)
    other = api.add_user(Role.VIEWER, name="Bea")
    auth = bearer(tokens["access_token"])
    attempts = [
        api.client.get(f"{USERS}/{other.id}", headers=auth),
        api.client.put(f"{USERS}/{other.id}/role", json={"role": "ADMIN"}, headers=auth),
        api.client.delete(f"{USERS}/{other.id}", headers=auth),
        api.client.get(USERS, headers=auth),
    ]
    assert [r.status_code for r in attempts] == [403] * 4
    assert all(other.email not in r.text and "Bea" not in r.text for r in attempts)
    assert api.user(other.id) == other  # untouched


def test_an_administrator_gets_404_for_an_unknown_id(api: Api) -> None:
    _, admin = api.session(Role.ADMIN)
    for method in ("GET", "DELETE"):
        response = api.client.request(
            method, f"{USERS}/no-such-user", headers=bearer(admin["access_token"])
        )
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize(
    "extra",
    [
        {"role": "ADMIN"},
        {"email": "boss@example.com"},
        {"active": False},
        {"email_verified": True},
        {"id": "someone-else"},
        {"salary_band": "E9"},
    ],
    ids=lambda extra: next(iter(extra)),
)
def test_profile_update_refuses_any_field_but_name(api: Api, extra: dict[str, Any]) -> None:
    user, tokens = api.session(Role.VIEWER, name="Original")
    response = api.client.put(
        "/api/v1/auth/me", json={"name": "Changed", **extra}, headers=bearer(tokens["access_token"])
    )
    assert response.status_code in {400, 422}
    field = next(iter(extra))
    assert field in response.json()["detail"]  # the refusal names the field
    assert api.user(user.id) == user  # nothing applied, not even the name
    permissions = api.client.get(
        "/api/v1/auth/me/permissions", headers=bearer(tokens["access_token"])
    )
    assert permissions.json()["role"] == "VIEWER"


def test_profile_update_changes_the_name_only(api: Api) -> None:
    user, tokens = api.session(Role.VIEWER, name="Original")
    response = api.client.put(
        "/api/v1/auth/me", json={"name": "  New Name  "}, headers=bearer(tokens["access_token"])
    )
    assert response.status_code == 200
    assert response.json()["name"] == "New Name"
    stored = api.user(user.id)
    assert (stored.name, stored.role, stored.email, stored.active) == (
        "New Name",
        user.role,
        user.email,
        True,
    )
    assert stored.password_hash == user.password_hash


def test_registration_cannot_choose_a_role(make_api: Any) -> None:
    api: Api = make_api(clock=FakeClock(), PRICING_REGISTRATION_ENABLED="true")
    response = api.client.post(
        "/api/v1/auth/register",
        json={
            "email": "climber@example.com",
            "password": "a long enough passphrase",
            "role": "ADMIN",
        },
    )
    assert response.status_code in {400, 422}
    assert "role" in response.json()["detail"]
    assert api.container.access.users.by_email("climber@example.com") is None


def test_nobody_changes_their_own_role_or_deactivates_themselves(api: Api) -> None:
    admin, tokens = api.session(Role.ADMIN)
    auth = bearer(tokens["access_token"])
    demote = api.client.put(f"{USERS}/{admin.id}/role", json={"role": "VIEWER"}, headers=auth)
    assert demote.status_code == 409
    assert api.client.delete(f"{USERS}/{admin.id}", headers=auth).status_code == 409
    assert api.user(admin.id) == admin
