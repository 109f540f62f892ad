"""Saved pricing requests: their status, decision, history rows and list queries."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

import attrs

from pricing_core.errors import InvalidRequest
from pricing_core.market.model import normalise_job_code
from pricing_core.requests.inputs import PricingInputs
from pricing_core.values import between, to_decimal

__all__ = [
    "RECOMMENDATION_STATUSES",
    "Action",
    "AdjustedRange",
    "Decision",
    "RequestDetail",
    "RequestEvent",
    "RequestQuery",
    "RequestStatus",
    "SavedRequest",
]

MAX_AMOUNT = Decimal(10) ** 12
CENT = Decimal("0.01")


class RequestStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"


# A submitted request is a salary recommendation; so are the decided ones.
RECOMMENDATION_STATUSES = frozenset(
    {RequestStatus.SUBMITTED, RequestStatus.APPROVED, RequestStatus.REJECTED}
)


class Action(StrEnum):
    """What can happen to a saved request; each success writes one history row."""

    CREATE = "create"
    EDIT = "edit"
    SUBMIT = "submit"
    APPROVE = "approve"
    REJECT = "reject"
    DELETE = "delete"
    REPRICE = "reprice"  # the request stays as it is; a new draft is priced from its inputs


def _amount(field: str, value: object) -> Decimal:
    try:
        number = to_decimal(value)
    except InvalidRequest:
        raise InvalidRequest(field, "must be a number", value) from None
    if not number.is_finite() or not 0 <= number <= MAX_AMOUNT:
        raise InvalidRequest(field, f"must be between 0 and {MAX_AMOUNT:,}", value)
    if number != number.quantize(CENT):
        raise InvalidRequest(field, "must have at most two decimal places", value)
    return number


def _minimum(value: object) -> Decimal:
    return _amount("adjusted_range.minimum", value)


def _midpoint(value: object) -> Decimal:
    return _amount("adjusted_range.midpoint", value)


def _maximum(value: object) -> Decimal:
    return _amount("adjusted_range.maximum", value)


@attrs.frozen(kw_only=True)
class AdjustedRange:
    """An approver's own range instead of the priced one: minimum ≤ midpoint ≤ maximum."""

    minimum: Decimal = attrs.field(converter=_minimum)
    midpoint: Decimal = attrs.field(converter=_midpoint)
    maximum: Decimal = attrs.field(converter=_maximum)

    def __attrs_post_init__(self) -> None:
        if self.minimum > self.midpoint:
            raise InvalidRequest("adjusted_range.minimum", "must not be above the midpoint")
        if self.midpoint > self.maximum:
            raise InvalidRequest("adjusted_range.maximum", "must not be below the midpoint")


@attrs.frozen(kw_only=True)
class Decision:
    """An approval or a rejection: by whom, when, why, and any adjusted range."""

    by: str
    at: datetime
    comment: str
    adjusted_range: AdjustedRange | None = None


@attrs.frozen(kw_only=True)
class SavedRequest:
    """A priced request as stored; `result` is pricing-method.md's result JSON, never changed
    after a decision (re-pricing makes a new draft). `revision` counts its changes."""

    id: str
    status: RequestStatus = attrs.field(converter=RequestStatus)
    revision: int
    inputs: PricingInputs
    result: Mapping[str, Any]
    job_code: str
    area_code: str
    dataset_versions: Mapping[str, str]
    policy_version: int
    created_by: str
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None = None
    decision: Decision | None = None
    repriced_from: str | None = None
    comparison: Mapping[str, Any] | None = None


def _detail(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return dict(value)


@attrs.frozen(kw_only=True)
class RequestEvent:
    """One row of a request's history: who did what, when, with the facts of the change."""

    request_id: str
    at: datetime
    actor: str
    action: Action = attrs.field(converter=Action)
    detail: Mapping[str, Any] = attrs.field(factory=dict, converter=_detail)
    id: int | None = None


@attrs.frozen(kw_only=True)
class RequestDetail:
    """A request with its history, oldest change first."""

    request: SavedRequest
    history: tuple[RequestEvent, ...]


def _statuses(values: Iterable[RequestStatus | str]) -> frozenset[RequestStatus]:
    found = set()
    for value in values:
        try:
            found.add(RequestStatus(value))
        except ValueError:
            raise InvalidRequest(
                "status", f"must be one of {', '.join(RequestStatus)}", value
            ) from None
    return frozenset(found)


def _code(value: str | None) -> str | None:
    return None if value is None else normalise_job_code(value)


@attrs.frozen(kw_only=True)
class RequestQuery:
    """Filters for listing requests (None or empty: any); deleted ones are never listed."""

    statuses: frozenset[RequestStatus] = attrs.field(factory=frozenset, converter=_statuses)
    job_code: str | None = attrs.field(default=None, converter=_code)
    area_code: str | None = None
    created_by: str | None = None
    offset: int = attrs.field(default=0, validator=between(0, 10**9))
    limit: int = attrs.field(default=50, validator=between(1, 200))
