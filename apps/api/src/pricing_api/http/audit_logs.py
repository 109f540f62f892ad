"""`/api/v1/audit-logs`: the append-only audit log, filtered and paged (VIEW_SYSTEM_LOGS).

There is no route that changes or removes an entry.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

import msgspec
from litestar import Controller, get
from litestar.params import FromQuery, Parameter

from pricing_api.http.documented import access_problems
from pricing_api.http.schemas import Caller, Limit, Offset, Services
from pricing_api.http.security import needs
from pricing_core.access.model import AuditEvent, AuditQuery, Outcome
from pricing_core.access.roles import Permission
from pricing_core.errors import InvalidRequest

__all__ = ["AuditEventOut", "AuditLogsController", "AuditPage"]


class AuditEventOut(msgspec.Struct):
    id: int | None
    at: datetime
    actor: str | None
    action: str
    target_type: str
    target_id: str
    outcome: Outcome
    ip: str
    user_agent: str
    request_id: str
    detail: dict[str, Any]


class AuditPage(msgspec.Struct):
    """One page of events, newest first, and how many match the filters in all."""

    items: list[AuditEventOut]
    total: int
    limit: int
    offset: int


def _out(event: AuditEvent) -> AuditEventOut:
    return AuditEventOut(
        id=event.id,
        at=event.at,
        actor=event.actor,
        action=event.action,
        target_type=event.target_type,
        target_id=event.target_id,
        outcome=event.outcome,
        ip=event.ip,
        user_agent=event.user_agent,
        request_id=event.request_id,
        detail={str(k): v for k, v in event.detail.items()},
    )


# An ISO 8601 time, its offset optional: the query decoder alone would also take a number
# of seconds since 1970 (`until=0.5`), which the schema's date-time does not allow.
ISO_TIME = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,6})?)?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})?$"
)
Instant = Annotated[
    str | None,
    Parameter(
        pattern=ISO_TIME,
        description="ISO 8601, e.g. 2026-01-01T09:30:00Z; without an offset, UTC.",
    ),
]


def _utc(field: str, text: str | None) -> datetime | None:
    """A time without an offset is read as UTC, the log's own zone."""
    if text is None:
        return None
    try:
        instant = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidRequest(field, "is not a date and time that exists") from None
    if instant.tzinfo is None:
        return instant.replace(tzinfo=UTC)
    try:
        return instant.astimezone(UTC)
    except OverflowError:  # 9999-12-31T23:59-12:00 lies past the last representable day
        raise InvalidRequest(field, "is outside the years 1 to 9999 in UTC") from None


class AuditLogsController(Controller):
    path = "/api/v1/audit-logs"
    tags = ("audit",)

    @get(
        "/",
        opt=needs(Permission.VIEW_SYSTEM_LOGS),
        sync_to_thread=True,
        summary="Audit events, newest first; `since` is inclusive and `until` exclusive",
        responses=access_problems(400, 401, 403, 422, 503),
    )
    def list_events(
        self,
        services: Services,
        principal: Caller,
        actor: FromQuery[str | None] = None,
        action: FromQuery[str | None] = None,
        target_type: FromQuery[str | None] = None,
        target_id: FromQuery[str | None] = None,
        outcome: FromQuery[Outcome | None] = None,
        since: Instant = None,
        until: Instant = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> AuditPage:
        query = AuditQuery(
            actor=actor,
            action=action,
            target_type=target_type,
            target_id=target_id,
            outcome=outcome,
            since=_utc("since", since),
            until=_utc("until", until),
            offset=offset,
            limit=limit,
        )
        events, total = services.access.read_audit(principal, query)
        return AuditPage(items=[_out(e) for e in events], total=total, limit=limit, offset=offset)
