"""The audit log on SQL: append and read only; the database refuses UPDATE and DELETE."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Engine, Row, func, select

from pricing_adapters.sql.tables import audit_log
from pricing_adapters.sql.unit_of_work import SqlUnitOfWork
from pricing_core.access.model import AuditEvent, AuditQuery
from pricing_core.access.ports import AuditLog

__all__ = ["SqlAuditLog"]

TEXT_COLUMNS = ("actor", "action", "target_type", "target_id", "ip", "user_agent", "request_id")


def _fit(column: str, value: str | None) -> str | None:
    """Cut text to its column, so a long user agent is shortened instead of failing the write
    (PostgreSQL refuses text longer than a VARCHAR; the auditor already cuts to 512)."""
    length = getattr(audit_log.c[column].type, "length", None)
    if value is None or length is None or len(value) <= length:
        return value
    return value[: length - 1] + "…"


def _detail_text(detail: Mapping[str, object]) -> str:
    return json.dumps(dict(detail), sort_keys=True, ensure_ascii=False, default=str)


def _event(row: Row[Any]) -> AuditEvent:
    return AuditEvent(
        id=row.id,
        at=row.at,
        actor=row.actor,
        action=row.action,
        target_type=row.target_type,
        target_id=row.target_id,
        outcome=row.outcome,
        ip=row.ip,
        user_agent=row.user_agent,
        request_id=row.request_id,
        detail=json.loads(row.detail),
    )


def _conditions(query: AuditQuery) -> list[ColumnElement[bool]]:
    """Equality on each given field; `since` is inclusive and `until` exclusive."""
    c = audit_log.c
    wanted: list[tuple[Any, object]] = [
        (c.actor, query.actor),
        (c.action, query.action),
        (c.target_type, query.target_type),
        (c.target_id, query.target_id),
        (c.outcome, None if query.outcome is None else query.outcome.value),
    ]
    conditions = [column == value for column, value in wanted if value is not None]
    if query.since is not None:
        conditions.append(c.at >= query.since)
    if query.until is not None:
        conditions.append(c.at < query.until)
    return conditions


class SqlAuditLog(AuditLog):
    """Rows are inserted, counted and read; this class has no statement that changes one.

    A row is inserted in the unit of work `uow`'s open transaction, with the change it records.
    """

    def __init__(self, engine: Engine, uow: SqlUnitOfWork | None = None) -> None:
        self._db = uow or SqlUnitOfWork(engine)

    def append(self, event: AuditEvent) -> None:
        values: dict[str, Any] = {name: _fit(name, getattr(event, name)) for name in TEXT_COLUMNS}
        values.update(at=event.at, outcome=event.outcome.value, detail=_detail_text(event.detail))
        with self._db.begin() as conn:
            conn.execute(audit_log.insert().values(values))

    def query(self, query: AuditQuery) -> tuple[Sequence[AuditEvent], int]:
        conditions = _conditions(query)
        count = select(func.count()).select_from(audit_log).where(*conditions)
        page = (
            select(audit_log)
            .where(*conditions)
            .order_by(audit_log.c.at.desc(), audit_log.c.id.desc())
            .offset(query.offset)
            .limit(query.limit)
        )
        with self._db.connect() as conn:
            total = conn.execute(count).scalar_one()
            rows = conn.execute(page).all()
        return [_event(r) for r in rows], total
