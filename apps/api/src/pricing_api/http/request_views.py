"""Saved requests as the API answers them, and the structs that document those answers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

import msgspec

from pricing_api.http.quote_answer import QuoteOut, RangeOut
from pricing_core.requests.inputs import inputs_as_json
from pricing_core.requests.model import (
    RequestDetail,
    RequestEvent,
    RequestStatus,
    SavedRequest,
)

__all__ = ["RequestOut", "RequestPage", "detail_json", "page_json", "request_json"]


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _range(request: SavedRequest) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """(the adjusted range, the approved range: adjusted if set, else the priced one)."""
    adjusted = request.decision.adjusted_range if request.decision else None
    shown = None
    if adjusted is not None:
        shown = {k: _number(getattr(adjusted, k)) for k in ("minimum", "midpoint", "maximum")}
    if request.status is not RequestStatus.APPROVED:
        return shown, None
    priced = {k: request.result["range"][k] for k in ("minimum", "midpoint", "maximum")}
    return shown, shown or priced


def _event(event: RequestEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "at": event.at,
        "actor": event.actor,
        "action": str(event.action),
        "detail": dict(event.detail),
    }


def request_json(
    request: SavedRequest, history: tuple[RequestEvent, ...] | None = None
) -> dict[str, Any]:
    """A request as the API answers it; with its history when given (single answers)."""
    decision, (adjusted, approved) = request.decision, _range(request)
    answer: dict[str, Any] = {
        "id": request.id,
        "status": str(request.status),
        "revision": request.revision,
        "inputs": inputs_as_json(request.inputs),
        "result": dict(request.result),
        "job_code": request.job_code,
        "area_code": request.area_code,
        "dataset_versions": dict(request.dataset_versions),
        "policy_version": request.policy_version,
        "created_by": request.created_by,
        "created_at": request.created_at,
        "updated_at": request.updated_at,
        "deleted_at": request.deleted_at,
        "decision": None
        if decision is None
        else {
            "by": decision.by,
            "at": decision.at,
            "comment": decision.comment,
            "adjusted_range": adjusted,
        },
        "approved_range": approved,
        "repriced_from": request.repriced_from,
        "comparison": None if request.comparison is None else dict(request.comparison),
    }
    if history is not None:
        answer["history"] = [_event(e) for e in history]
    return answer


def detail_json(detail: RequestDetail) -> dict[str, Any]:
    return request_json(detail.request, detail.history)


def page_json(items: Sequence[SavedRequest], total: int, limit: int, offset: int) -> dict[str, Any]:
    return {
        "items": [request_json(r) for r in items],
        "total": total,
        "limit": limit,
        "offset": offset,
    }


# The answers' shapes, for the OpenAPI schema (handlers answer dicts of exactly this shape).


class DecisionOut(msgspec.Struct):
    """Who approved or rejected it, when, why, and an approver's own range if set."""

    by: str
    at: datetime
    comment: str
    adjusted_range: RangeOut | None


class EventOut(msgspec.Struct):
    """One change: `action` is create, edit, submit, approve, reject or delete."""

    id: int | None
    at: datetime
    actor: str
    action: str
    detail: dict[str, Any]


class RequestOut(msgspec.Struct):
    """A saved request; `result` is the quote's result JSON, frozen once decided."""

    id: str
    status: RequestStatus
    revision: int
    inputs: dict[str, Any]
    result: QuoteOut
    job_code: str
    area_code: str
    dataset_versions: dict[str, str]
    policy_version: int
    created_by: str
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None
    decision: DecisionOut | None
    approved_range: RangeOut | None
    repriced_from: str | None
    comparison: dict[str, Any] | None
    history: list[EventOut] | None = None


class RequestPage(msgspec.Struct):
    """One page, newest first, and how many match the filters in all (no `history`)."""

    items: list[RequestOut]
    total: int
    limit: int
    offset: int
