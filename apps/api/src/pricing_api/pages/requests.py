"""Pricing requests: the list by status, one request with its history, and its workflow.

Which buttons a request page shows is the core's answer (`allowed_actions`); each button
calls the use case the API calls, which checks everything again.
"""

from __future__ import annotations

from typing import Any

import anyio.to_thread
from litestar import Request, get, post
from litestar.response import Redirect, Template

from pricing_api.http.context import request_context
from pricing_api.http.schemas import Services
from pricing_api.pages.forms import field_errors, read_form
from pricing_api.pages.pricing import FIELDS, inputs_of
from pricing_api.pages.render import redirect, respond
from pricing_api.pages.result_view import amount, view_result
from pricing_api.pages.session import signed_in
from pricing_api.pages.signin import PAGE
from pricing_core.errors import InvalidRequest
from pricing_core.requests.allowed import allowed_actions
from pricing_core.requests.model import (
    Action,
    AdjustedRange,
    RequestDetail,
    RequestQuery,
    RequestStatus,
)

__all__ = ["REQUEST_ROUTES"]

_DECISION_FIELDS = {"minimum", "midpoint", "maximum", "comment"}


def _occupation(services: Services, job_code: str) -> str:
    """The occupation's name, for a request priced from explicit matches (no title)."""
    found = services.title_matcher().occupation(job_code)
    return found.title if found is not None else job_code


@get("/requests", opt=PAGE, include_in_schema=False)
async def list_page(
    request: Request[Any, Any, Any], services: Services, status: str = "", page: int = 1
) -> Template:
    principal = await signed_in(request, services)
    wanted = status if status in set(RequestStatus) else ""
    size = 25
    query = RequestQuery(
        statuses=(wanted,) if wanted else (), limit=size, offset=(max(page, 1) - 1) * size
    )
    items, total = await anyio.to_thread.run_sync(services.requests.list_requests, principal, query)
    rows = [
        {
            "id": r.id,
            "status": str(r.status),
            "title": r.inputs.title or _occupation(services, r.job_code),
            "job_code": r.job_code,
            "area": (r.result.get("area") or {}).get("name", r.area_code),
            "midpoint": amount((r.result.get("range") or {}).get("midpoint")),
            "created_by": r.created_by,
            "updated_at": r.updated_at.strftime("%Y-%m-%d %H:%M UTC"),
        }
        for r in items
    ]
    context = {
        "rows": rows,
        "total": total,
        "status": wanted,
        "statuses": [str(s) for s in RequestStatus],
        "page": max(page, 1),
        "pages": max(1, -(-total // size)),
    }
    return respond(request, "requests.html", context)


@post("/requests", opt=PAGE, include_in_schema=False)
async def create(request: Request[Any, Any, Any], services: Services) -> Redirect | Template:
    principal = await signed_in(request, services)
    form, _ = await read_form(request)
    values = {name: form.text(name) for name in FIELDS}

    def save() -> RequestDetail:
        return services.requests.create(
            principal, inputs_of(services, values), request_context(request)
        )

    try:
        detail = await anyio.to_thread.run_sync(save)
    except InvalidRequest as error:
        errors = field_errors(error, set(FIELDS))
        context: dict[str, Any] = {
            "values": values,
            "errors": errors,
            "view": None,
            "levels": [],
            "fields": FIELDS,
        }
        return respond(request, "price.html", context, status_code=400)
    return redirect(request, f"/requests/{detail.request.id}")


def _detail_context(
    services: Services, principal: Any, detail: RequestDetail, errors: dict[str, dict[str, str]]
) -> dict[str, Any]:
    saved = detail.request
    allowed = allowed_actions(principal, saved)
    return {
        "r": saved,
        "job": saved.inputs.title or _occupation(services, saved.job_code),
        "view": view_result(saved.result),
        "history": detail.history,
        "may_submit": Action.SUBMIT in allowed,
        "may_approve": Action.APPROVE in allowed,
        "may_reject": Action.REJECT in allowed,
        "decision": saved.decision,
        "adjusted": saved.decision.adjusted_range if saved.decision else None,
        "amount": amount,
        "submit_errors": errors.get("submit", {}),
        "approve_errors": errors.get("approve", {}),
        "reject_errors": errors.get("reject", {}),
    }


@get("/requests/{request_id:str}", opt=PAGE, include_in_schema=False)
async def detail_page(
    request: Request[Any, Any, Any], services: Services, request_id: str
) -> Template:
    principal = await signed_in(request, services)
    detail = await anyio.to_thread.run_sync(services.requests.get, principal, request_id)
    return respond(request, "request.html", _detail_context(services, principal, detail, {}))


def _plain(text: str) -> str:
    return text.replace(",", "").replace(" ", "")


@post("/requests/{request_id:str}/{action:str}", opt=PAGE, include_in_schema=False)
async def act(
    request: Request[Any, Any, Any], services: Services, request_id: str, action: str
) -> Redirect | Template:
    """Submit, approve or reject; a refusal shows beside the field that caused it."""
    principal = await signed_in(request, services)
    form, _ = await read_form(request)
    info = request_context(request)
    comment = form.optional("comment")

    def run() -> RequestDetail:
        if action == "submit":
            return services.requests.submit(principal, request_id, info)
        if action == "approve":
            ends = [_plain(form.text(k)) for k in ("minimum", "midpoint", "maximum")]
            adjusted = None
            if any(ends):
                adjusted = AdjustedRange(minimum=ends[0], midpoint=ends[1], maximum=ends[2])
            return services.requests.approve(
                principal, request_id, info, comment=comment, adjusted_range=adjusted
            )
        if action == "reject":
            return services.requests.reject(principal, request_id, comment or "", info)
        raise InvalidRequest("action", "must be submit, approve or reject", action)

    try:
        await anyio.to_thread.run_sync(run)
    except InvalidRequest as error:
        errors = {action: field_errors(error, _DECISION_FIELDS)}
        detail = await anyio.to_thread.run_sync(services.requests.get, principal, request_id)
        context = _detail_context(services, principal, detail, errors)
        return respond(request, "request.html", context, status_code=400)
    return redirect(request, f"/requests/{request_id}")


REQUEST_ROUTES = [list_page, create, detail_page, act]
