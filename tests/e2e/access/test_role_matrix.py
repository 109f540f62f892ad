"""Checklist 18: every role against every route of api.md's Authentication section and the
backup routes (ADMIN alone), from access.md's role table: success only with the permission,
403 and an `authz_fail` row without it."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from pricing_core.access.audit import RequestInfo
from pricing_core.access.model import Principal
from pricing_core.access.roles import ROLE_ORDER, ROLE_PERMISSIONS, Permission, Role
from tests.e2e.access.conftest import PASSWORD, Api, bearer

SYSTEM = Principal(role=Role.ADMIN, user_id="system:test")
P = Permission
KEY = {"name": "ci", "role": "VIEWER"}


def _target(api: Api) -> str:
    return api.add_user(Role.HR_ANALYST).id


def _key(api: Api) -> str:
    key, _ = api.container.access.create_api_key(SYSTEM, "target", "VIEWER", RequestInfo())
    return key.id


# (method, path, what it needs, success status, body, the object it acts on)
ROUTES: list[tuple[str, str, Permission | None, int, Any, Any]] = [
    ("POST", "/api/v1/auth/users", P.MANAGE_USERS, 201, "new-user", None),
    ("GET", "/api/v1/auth/users", P.MANAGE_USERS, 200, None, None),
    ("GET", "/api/v1/auth/users/{}", P.MANAGE_USERS, 200, None, _target),
    ("PUT", "/api/v1/auth/users/{}/role", P.MANAGE_ROLES, 200, {"role": "VIEWER"}, _target),
    ("DELETE", "/api/v1/auth/users/{}", P.MANAGE_USERS, 200, None, _target),
    ("GET", "/api/v1/auth/api-keys", P.MANAGE_API_KEYS, 200, None, None),
    (
        "POST",
        "/api/v1/auth/api-keys",
        P.MANAGE_API_KEYS,
        201,
        {"name": "ci", "role": "VIEWER"},
        None,
    ),
    ("DELETE", "/api/v1/auth/api-keys/{}", P.MANAGE_API_KEYS, 200, None, _key),
    ("GET", "/api/v1/audit-logs", P.VIEW_SYSTEM_LOGS, 200, None, None),
    ("GET", "/api/v1/backups", P.MANAGE_BACKUPS, 200, None, None),
    ("POST", "/api/v1/backups", P.MANAGE_BACKUPS, 202, {"restore_test": False}, None),
    ("POST", "/api/v1/backups/verify", P.MANAGE_BACKUPS, 202, {"restore_test": False}, None),
    ("POST", "/api/v1/auth/logout", None, 204, None, None),
    ("GET", "/api/v1/auth/me", None, 200, None, None),
    ("PUT", "/api/v1/auth/me", None, 200, {"name": "Renamed"}, None),
    (
        "POST",
        "/api/v1/auth/me/change-password",
        None,
        200,
        {"current_password": PASSWORD, "new_password": "another long passphrase"},
        None,
    ),
    ("GET", "/api/v1/auth/me/permissions", None, 200, None, None),
]
CASES = [
    pytest.param(role, route, id=f"{role}-{route[0]} {route[1]}")
    for role in ROLE_ORDER
    for route in ROUTES
]


@pytest.fixture
def shared(api: Api) -> Api:
    """One app for the whole matrix; each case makes its own caller and target."""
    return api


def denials(api: Api, actor: str) -> list[Any]:
    return api.events(action="authz_fail", actor=actor)


@pytest.mark.parametrize(("role", "route"), CASES)
def test_role_against_route(shared: Api, role: Role, route: tuple[Any, ...]) -> None:
    method, path, permission, success, body, target = route
    caller, tokens = shared.session(role)
    if body == "new-user":
        body = {"email": f"made-{uuid.uuid4().hex[:8]}@example.com", "role": "VIEWER"}
    url = path.format(target(shared)) if target else path
    response = shared.client.request(method, url, json=body, headers=bearer(tokens["access_token"]))
    allowed = permission is None or permission in ROLE_PERMISSIONS[role]
    rows = denials(shared, caller.id)
    if allowed:
        assert response.status_code == success, response.text
        assert rows == []
    else:
        assert response.status_code == 403, response.text
        assert response.json()["code"] == "forbidden"
        assert len(rows) == 1
        assert rows[0].detail == {"permission": str(permission), "role": str(role)}
        assert rows[0].outcome == "denied"
        assert rows[0].target_type == "route"
        assert rows[0].target_id.startswith(path.split("{")[0].rstrip("/"))


@pytest.mark.parametrize("role", ROLE_ORDER)
def test_api_keys_get_their_roles_permissions(shared: Api, role: Role) -> None:
    key, raw = shared.container.access.create_api_key(SYSTEM, f"svc {role}", role, RequestInfo())
    reads = [(p, ok, need) for m, p, need, ok, _, t in ROUTES if m == "GET" and need and not t]
    assert len(reads) == 4
    for path, success, permission in reads:
        response = shared.client.get(path, headers={"X-API-Key": raw})
        expected = success if permission in ROLE_PERMISSIONS[role] else 403
        assert response.status_code == expected, (path, response.text)
    refused = sum(1 for _, _, need in reads if need not in ROLE_PERMISSIONS[role])
    assert len(denials(shared, f"apikey:{key.id}")) == refused
