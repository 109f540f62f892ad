"""Deny by default: every route declares a permission, `authenticated`, or `public`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio.to_thread
from litestar import Litestar
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.routes import HTTPRoute

from pricing_api.http.problems import PROBLEM_JSON
from pricing_api.http.schemas import Problem
from pricing_core.access.audit import check_password_changed
from pricing_core.access.model import Principal
from pricing_core.access.roles import Permission
from pricing_core.errors import Forbidden, InvalidRequest, NotAuthenticated

__all__ = [
    "AUTHENTICATED",
    "BEFORE_PASSWORD_CHANGE",
    "PUBLIC",
    "Authenticator",
    "DenialRecorder",
    "declared",
    "document_nul_refusals",
    "needs",
    "permission_guard",
]

PUBLIC = {"public": True}
AUTHENTICATED = {"authenticated": True}
# The few routes a caller who must change their one-time password may still use (reading
# their account, changing the password, logging out); every other route refuses them.
BEFORE_PASSWORD_CHANGE = {**AUTHENTICATED, "before_password_change": True}

Authenticator = Callable[[str | None, str | None, dict[str, str]], Principal]
"""(bearer token, API key, request info) → Principal, or NotAuthenticated."""
DenialRecorder = Callable[[Principal, Permission, str, dict[str, str]], None]


def needs(permission: Permission) -> dict[str, Any]:
    """The `opt` of a route that requires `permission`."""
    return {"permission": permission}


def declared(opt: dict[str, Any]) -> bool:
    return bool(opt.get("public") or opt.get("authenticated") or opt.get("permission"))


def request_info(connection: ASGIConnection[Any, Any, Any, Any]) -> dict[str, str]:
    return {
        "ip": getattr(connection.state, "client_ip", "")
        or (connection.client.host if connection.client else ""),
        "user_agent": connection.headers.get("user-agent", "")[:300],
        "request_id": getattr(connection.state, "request_id", ""),
        "route": connection.scope.get("path_template", connection.url.path),
    }


def _credentials(connection: ASGIConnection[Any, Any, Any, Any]) -> tuple[str | None, str | None]:
    header = connection.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    bearer = value.strip() if scheme.lower() == "bearer" and value.strip() else None
    return bearer, connection.headers.get("x-api-key") or None


def permission_guard(authenticate: Authenticator, record_denial: DenialRecorder) -> Any:
    """The app-wide guard: authenticate unless public, then check the declared permission."""

    async def guard(
        connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
    ) -> None:
        opt = handler.opt
        if opt.get("public"):
            return
        if not declared(opt):
            raise Forbidden("this route declares no permission: denied by default")
        bearer, api_key = _credentials(connection)
        if bearer is None and api_key is None:
            raise NotAuthenticated()
        info = request_info(connection)
        principal = await anyio.to_thread.run_sync(authenticate, bearer, api_key, info)
        connection.state.principal = principal
        if not opt.get("before_password_change"):
            check_password_changed(principal)
        permission = opt.get("permission")
        if permission is not None and not principal.can(permission):
            await anyio.to_thread.run_sync(
                record_denial, principal, permission, info["route"], info
            )
            raise Forbidden(f"your role {principal.role} lacks {permission}")

    return guard


async def no_nul_guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Refuse a NUL character in any path or query value, naming the parameter.

    No route has a use for one and PostgreSQL cannot store or even compare it in text: let
    through, it fails deep in a query. Bodies refuse it in their field types (schemas.NO_NUL).
    """
    values = [*connection.path_params.items(), *connection.query_params.multi_items()]
    for name, value in values:
        if isinstance(value, str) and ("\x00" in value or "\x00" in name):
            raise InvalidRequest(name.replace("\x00", "?"), "must not contain a NUL character")


_NUL_REFUSED = ResponseSpec(
    data_container=Problem,
    description=(
        "A path or query value with a NUL character, or that breaks a rule; `errors` names it."
    ),
    media_type=PROBLEM_JSON,
    generate_examples=False,
)
# Handler arguments that are not path or query parameters.
_NOT_PARAMETERS = frozenset({"self", "data", "request", "services", "principal", "info"})


def document_nul_refusals(app: Litestar) -> None:
    """Every route with a path or query parameter can meet `no_nul_guard`'s 422: its OpenAPI
    entry says so, as its other answers are said (before the schema is first built)."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            names = set(handler.parsed_fn_signature.parameters) - _NOT_PARAMETERS
            responses = dict(handler.responses or {})
            if (route.path_parameters or names) and 422 not in responses:
                responses[422] = _NUL_REFUSED
                handler.responses = responses
