"""Administration: accounts (create with a one-time password, change role, deactivate,
reactivate) and the audit log with its filters. Each calls the access use case the API calls,
which checks the permission (MANAGE_USERS, MANAGE_ROLES, VIEW_SYSTEM_LOGS) itself.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import anyio.to_thread
from litestar import Request, get, post
from litestar.response import Redirect, Template

from pricing_api.http.auth import password_work
from pricing_api.http.context import request_context
from pricing_api.http.schemas import Services
from pricing_api.pages.forms import field_errors, read_form
from pricing_api.pages.render import redirect, respond
from pricing_api.pages.session import signed_in
from pricing_api.pages.signin import PAGE
from pricing_core.access.audit import require
from pricing_core.access.model import AuditQuery, Outcome
from pricing_core.access.roles import Permission, Role
from pricing_core.errors import Conflict, InvalidRequest

__all__ = ["ADMIN_ROUTES"]

_AUDIT_FILTERS = ("actor", "action", "target_id", "outcome", "since", "until")


async def _users_page(
    request: Request[Any, Any, Any],
    services: Services,
    *,
    created: tuple[str, str] | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    principal = await signed_in(request, services)
    users, total = await anyio.to_thread.run_sync(
        lambda: services.access.list_users(principal, 0, 200)
    )
    context = {
        "users": users,
        "total": total,
        "roles": [str(role) for role in Role],
        "may_change_roles": principal.can(Permission.MANAGE_ROLES),
        "created": created,
        "errors": errors or {},
        "values": values or {},
    }
    return respond(request, "users.html", context, status_code=status_code)


@get("/admin/users", opt=PAGE, include_in_schema=False)
async def users_page(request: Request[Any, Any, Any], services: Services) -> Template:
    return await _users_page(request, services)


@post("/admin/users", opt=PAGE, include_in_schema=False)
async def create_user(request: Request[Any, Any, Any], services: Services) -> Template:
    """A new account with a generated one-time password, shown once on the answer."""
    principal = await signed_in(request, services)
    form, _ = await read_form(request)
    values = {k: form.text(k) for k in ("email", "name", "role")}
    try:
        user, generated = await password_work(
            services.access.create_user,
            principal,
            values["email"],
            values["role"],
            values["name"],
            None,
            request_context(request),
        )
    except (InvalidRequest, Conflict) as error:
        errors = field_errors(error, {"email", "name", "role"})
        if isinstance(error, Conflict):
            errors = {"email": error.message}
        return await _users_page(request, services, errors=errors, values=values, status_code=400)
    return await _users_page(request, services, created=(user.email, generated or ""))


@post("/admin/users/{user_id:str}/role", opt=PAGE, include_in_schema=False)
async def change_role(
    request: Request[Any, Any, Any], services: Services, user_id: str
) -> Redirect | Template:
    principal = await signed_in(request, services)
    form, _ = await read_form(request)
    try:
        await anyio.to_thread.run_sync(
            services.access.change_role,
            principal,
            user_id,
            form.text("role"),
            request_context(request),
        )
    except InvalidRequest as error:
        return await _users_page(
            request, services, errors={"_form": error.message}, status_code=400
        )
    return redirect(request, "/admin/users")


@post("/admin/users/{user_id:str}/deactivate", opt=PAGE, include_in_schema=False)
async def deactivate(request: Request[Any, Any, Any], services: Services, user_id: str) -> Redirect:
    principal = await signed_in(request, services)
    await read_form(request)
    await anyio.to_thread.run_sync(
        services.access.deactivate_user, principal, user_id, request_context(request)
    )
    return redirect(request, "/admin/users")


@post("/admin/users/{user_id:str}/reactivate", opt=PAGE, include_in_schema=False)
async def reactivate(request: Request[Any, Any, Any], services: Services, user_id: str) -> Redirect:
    principal = await signed_in(request, services)
    await read_form(request)
    await anyio.to_thread.run_sync(
        services.access.reactivate_user, principal, user_id, request_context(request)
    )
    return redirect(request, "/admin/users")


def _moment(name: str, text: str) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text).replace(tzinfo=UTC)
    except ValueError:
        raise InvalidRequest(name, "must be a date like 2026-07-01", text) from None


@get("/admin/audit", opt=PAGE, include_in_schema=False)
async def audit_page(request: Request[Any, Any, Any], services: Services) -> Template:
    principal = await signed_in(request, services)
    require(principal, Permission.VIEW_SYSTEM_LOGS)
    values = {k: request.query_params.get(k, "").strip() for k in _AUDIT_FILTERS}
    errors: dict[str, str] = {}
    events: Any = []
    total = 0
    try:
        outcome = values["outcome"]
        if outcome and outcome not in set(Outcome):
            raise InvalidRequest("outcome", "must be one of " + ", ".join(Outcome), outcome)
        query = AuditQuery(
            actor=values["actor"] or None,
            action=values["action"] or None,
            target_id=values["target_id"] or None,
            outcome=Outcome(outcome) if outcome else None,
            since=_moment("since", values["since"]),
            until=_moment("until", values["until"]),
            limit=100,
        )
        events, total = await anyio.to_thread.run_sync(services.access.read_audit, principal, query)
    except InvalidRequest as error:
        errors = field_errors(error, set(_AUDIT_FILTERS))
    context = {
        "events": events,
        "total": total,
        "values": values,
        "errors": errors,
        "outcomes": [str(o) for o in Outcome],
    }
    return respond(request, "audit.html", context, status_code=400 if errors else 200)


ADMIN_ROUTES = [users_page, create_user, change_role, deactivate, reactivate, audit_page]
