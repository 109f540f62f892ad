"""Checklist 17: every handler of the route table declares who may call it, a handler that
declares nothing is refused, and the access routes declare what api.md says; plus their
OpenAPI error answers and body limits."""

from __future__ import annotations

from typing import Any

from litestar import Litestar, get
from litestar.di import NamedDependency
from litestar.testing import TestClient

from pricing_api.http.app import create_app
from pricing_api.http.security import AUTHENTICATED, declared
from pricing_core.access.model import Principal
from pricing_core.access.roles import Permission, Role
from tests.e2e.access.conftest import Api, bearer

# api.md's Authentication table, as (method, path) → what the route must declare.
EXPECTED: dict[tuple[str, str], Any] = {
    ("POST", "/api/v1/auth/register"): "public",
    ("POST", "/api/v1/auth/login"): "public",
    ("POST", "/api/v1/auth/refresh"): "public",
    ("POST", "/api/v1/auth/logout"): "authenticated",
    ("GET", "/api/v1/auth/me"): "authenticated",
    ("PUT", "/api/v1/auth/me"): "authenticated",
    ("POST", "/api/v1/auth/me/change-password"): "authenticated",
    ("GET", "/api/v1/auth/me/permissions"): "authenticated",
    ("POST", "/api/v1/auth/users"): Permission.MANAGE_USERS,
    ("GET", "/api/v1/auth/users"): Permission.MANAGE_USERS,
    ("GET", "/api/v1/auth/users/{user_id:str}"): Permission.MANAGE_USERS,
    ("PUT", "/api/v1/auth/users/{user_id:str}/role"): Permission.MANAGE_ROLES,
    ("DELETE", "/api/v1/auth/users/{user_id:str}"): Permission.MANAGE_USERS,
    ("POST", "/api/v1/auth/users/{user_id:str}/reactivate"): Permission.MANAGE_USERS,
    ("POST", "/api/v1/auth/users/{user_id:str}/reset-password"): Permission.MANAGE_USERS,
    ("GET", "/api/v1/auth/api-keys"): Permission.MANAGE_API_KEYS,
    ("POST", "/api/v1/auth/api-keys"): Permission.MANAGE_API_KEYS,
    ("DELETE", "/api/v1/auth/api-keys/{key_id:str}"): Permission.MANAGE_API_KEYS,
    ("GET", "/api/v1/audit-logs"): Permission.VIEW_SYSTEM_LOGS,
    ("GET", "/api/v1/backups"): Permission.MANAGE_BACKUPS,
    ("POST", "/api/v1/backups"): Permission.MANAGE_BACKUPS,
    ("POST", "/api/v1/backups/verify"): Permission.MANAGE_BACKUPS,
}


def handlers(app: Litestar) -> list[tuple[str, str, dict[str, Any]]]:
    """Every (method, path, opt) the app routes, OPTIONS and HEAD included."""
    found = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            for method in getattr(handler, "http_methods", None) or ("WEBSOCKET",):
                found.append((method, route.path, dict(handler.opt)))
    return found


def undeclared(app: Litestar) -> list[tuple[str, str]]:
    """The walker: handlers that declare no permission, `authenticated` or `public`."""
    return [(method, path) for method, path, opt in handlers(app) if not declared(opt)]


def marker(opt: dict[str, Any]) -> Any:
    if opt.get("permission"):
        return opt["permission"]
    return "authenticated" if opt.get("authenticated") and not opt.get("public") else "public"


def test_every_handler_of_the_app_declares_who_may_call_it(api: Api) -> None:
    assert len(handlers(api.app)) > len(EXPECTED)
    assert undeclared(api.app) == []


def test_the_access_routes_declare_what_the_api_document_says(api: Api) -> None:
    table = {(m, p): marker(opt) for m, p, opt in handlers(api.app) if p.startswith("/api/")}
    assert {key: table.get(key) for key in EXPECTED} == EXPECTED
    # Only the three documented routes are public under /api (OPTIONS preflights aside).
    public = sorted(k for k, v in table.items() if v == "public" and k[0] != "OPTIONS")
    assert public == sorted(k for k, v in EXPECTED.items() if v == "public")


@get("/api/v1/probe/naked", sync_to_thread=False)
def naked() -> dict[str, str]:
    return {"secret": "should never be served"}


def test_a_route_added_without_a_marker_is_flagged_and_refused(api: Api) -> None:
    app = create_app(api.container, extra=[naked])
    assert undeclared(app) == [("GET", "/api/v1/probe/naked")]
    _, admin = api.session(Role.ADMIN)
    with TestClient(app) as client:
        for headers in ({}, bearer(admin["access_token"])):
            response = client.get("/api/v1/probe/naked", headers=headers)
            assert response.status_code == 403
            assert "declares no permission" in response.json()["detail"]
            assert "secret" not in response.text


@get("/api/v1/probe/whoami", opt=AUTHENTICATED, sync_to_thread=True)
def whoami(principal: NamedDependency[Any]) -> dict[str, str | None]:
    caller: Principal = principal
    return {"user_id": caller.user_id}


def test_an_authenticated_sync_handler_run_in_a_thread_stays_authenticated(api: Api) -> None:
    app = create_app(api.container, extra=[whoami])
    user, tokens = api.session()
    opts = [opt for m, p, opt in handlers(app) if p == "/api/v1/probe/whoami" and m == "GET"]
    with TestClient(app) as client:
        response = client.get("/api/v1/probe/whoami", headers=bearer(tokens["access_token"]))
    assert (response.status_code, response.json()) == (200, {"user_id": user.id})
    assert opts == [AUTHENTICATED]


def operations(api: Api) -> dict[tuple[str, str], dict[str, Any]]:
    schema = api.client.get("/schema/openapi.json").json()
    return {
        (method.upper(), path): op
        for path, ops in schema["paths"].items()
        if path.startswith(("/api/v1/auth", "/api/v1/audit-logs", "/api/v1/backups"))
        for method, op in ops.items()
    }


def test_openapi_lists_each_routes_problem_answers(api: Api) -> None:
    ops = operations(api)
    assert len(ops) == len(EXPECTED)
    for (method, path), op in ops.items():
        key = (
            method,
            path.replace("{user_id}", "{user_id:str}").replace("{key_id}", "{key_id:str}"),
        )
        declared_as = EXPECTED[key]
        errors = {int(s): r for s, r in op["responses"].items() if int(s) >= 400}
        wanted = {401} if declared_as != "public" else set()
        if isinstance(declared_as, Permission):
            wanted.add(403)
        if method in {"POST", "PUT"} and "requestBody" in op:
            wanted |= {400, 413}
        assert wanted <= set(errors), (method, path, sorted(errors))
        for answer in errors.values():
            assert "application/problem+json" in answer["content"], (method, path)
    assert 429 in {int(s) for s in ops[("POST", "/api/v1/auth/login")]["responses"]}


def test_bodies_are_limited_in_size(api: Api) -> None:
    huge = {"email": "a@example.com", "password": "p" * 20_000}
    response = api.client.post("/api/v1/auth/login", json=huge)
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("application/problem+json")
