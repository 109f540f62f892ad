"""Saved pricing requests and their history on SQL: a change and its history row commit
together, and only if nobody changed the request since it was read."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Engine, Row, func, select
from sqlalchemy.exc import IntegrityError

from pricing_adapters.sql.tables import pricing_request_events, pricing_requests
from pricing_adapters.sql.unit_of_work import SqlUnitOfWork
from pricing_core.errors import Conflict, NotFound
from pricing_core.requests.inputs import inputs_as_json, inputs_from_json
from pricing_core.requests.model import (
    AdjustedRange,
    Decision,
    RequestEvent,
    RequestQuery,
    SavedRequest,
)
from pricing_core.requests.ports import RequestStore

__all__ = ["SqlRequestStore"]


def _dumps(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def _values(request: SavedRequest) -> dict[str, Any]:
    decision = request.decision
    adjusted = decision.adjusted_range if decision else None
    return {
        "id": request.id,
        "status": request.status.value,
        "revision": request.revision,
        "inputs": _dumps(inputs_as_json(request.inputs)),
        "result": _dumps(request.result),
        "job_code": request.job_code,
        "area_code": request.area_code,
        "dataset_versions": _dumps(dict(request.dataset_versions)),
        "policy_version": request.policy_version,
        "created_by": request.created_by,
        "created_at": request.created_at,
        "updated_at": request.updated_at,
        "deleted_at": request.deleted_at,
        "decided_by": decision.by if decision else None,
        "decided_at": decision.at if decision else None,
        "decision_comment": decision.comment if decision else None,
        "approved_minimum": adjusted.minimum if adjusted else None,
        "approved_midpoint": adjusted.midpoint if adjusted else None,
        "approved_maximum": adjusted.maximum if adjusted else None,
        "repriced_from": request.repriced_from,
        "comparison": None if request.comparison is None else _dumps(request.comparison),
    }


def _decision(row: Row[Any]) -> Decision | None:
    if row.decided_by is None:
        return None
    adjusted = None
    if row.approved_minimum is not None:
        adjusted = AdjustedRange(
            minimum=row.approved_minimum,
            midpoint=row.approved_midpoint,
            maximum=row.approved_maximum,
        )
    return Decision(
        by=row.decided_by,
        at=row.decided_at,
        comment=row.decision_comment or "",
        adjusted_range=adjusted,
    )


def _request(row: Row[Any]) -> SavedRequest:
    return SavedRequest(
        id=row.id,
        status=row.status,
        revision=row.revision,
        inputs=inputs_from_json(json.loads(row.inputs)),
        result=json.loads(row.result),
        job_code=row.job_code,
        area_code=row.area_code,
        dataset_versions=json.loads(row.dataset_versions),
        policy_version=row.policy_version,
        created_by=row.created_by,
        created_at=row.created_at,
        updated_at=row.updated_at,
        deleted_at=row.deleted_at,
        decision=_decision(row),
        repriced_from=row.repriced_from,
        comparison=None if row.comparison is None else json.loads(row.comparison),
    )


def _event_values(event: RequestEvent) -> dict[str, Any]:
    return {
        "request_id": event.request_id,
        "at": event.at,
        "actor": event.actor,
        "action": event.action.value,
        "detail": _dumps(dict(event.detail)),
    }


def _event(row: Row[Any]) -> RequestEvent:
    return RequestEvent(
        id=row.id,
        request_id=row.request_id,
        at=row.at,
        actor=row.actor,
        action=row.action,
        detail=json.loads(row.detail),
    )


def _conditions(query: RequestQuery) -> list[ColumnElement[bool]]:
    c = pricing_requests.c
    conditions: list[ColumnElement[bool]] = [c.deleted_at.is_(None)]
    if query.statuses:
        conditions.append(c.status.in_(sorted(s.value for s in query.statuses)))
    for column, value in (
        (c.job_code, query.job_code),
        (c.area_code, query.area_code),
        (c.created_by, query.created_by),
    ):
        if value is not None:
            conditions.append(column == value)
    return conditions


class SqlRequestStore(RequestStore):
    """Rows of `pricing_requests`, and `pricing_request_events` as their history; writes
    join the unit of work `uow`'s open transaction (a change commits with its audit row)."""

    def __init__(self, engine: Engine, uow: SqlUnitOfWork | None = None) -> None:
        self._db = uow or SqlUnitOfWork(engine)

    def add(self, request: SavedRequest, event: RequestEvent) -> None:
        try:
            with self._db.begin() as conn:
                conn.execute(pricing_requests.insert().values(_values(request)))
                conn.execute(pricing_request_events.insert().values(_event_values(event)))
        except IntegrityError:
            raise Conflict("a pricing request with this id exists", request_id=request.id) from None

    def update(self, request: SavedRequest, event: RequestEvent, *, revision: int) -> None:
        values = _values(request)
        del values["id"]
        c = pricing_requests.c
        statement = (
            pricing_requests.update()
            .where(c.id == request.id, c.revision == revision)
            .values(values)
        )
        with self._db.begin() as conn:
            if conn.execute(statement).rowcount == 1:
                conn.execute(pricing_request_events.insert().values(_event_values(event)))
                return
            exists = conn.execute(select(c.id).where(c.id == request.id)).first()
        if exists is None:
            raise NotFound("no such pricing request", request_id=request.id)
        raise Conflict("the request changed meanwhile; read it again", request_id=request.id)

    def get(self, request_id: str) -> SavedRequest | None:
        query = select(pricing_requests).where(pricing_requests.c.id == request_id)
        with self._db.read() as conn:
            row = conn.execute(query).first()
        return None if row is None else _request(row)

    def history(self, request_id: str) -> Sequence[RequestEvent]:
        e = pricing_request_events.c
        query = select(pricing_request_events).where(e.request_id == request_id).order_by(e.id)
        with self._db.read() as conn:
            return [_event(r) for r in conn.execute(query).all()]

    def list(self, query: RequestQuery) -> tuple[Sequence[SavedRequest], int]:
        conditions = _conditions(query)
        c = pricing_requests.c
        count = select(func.count()).select_from(pricing_requests).where(*conditions)
        page = (
            select(pricing_requests)
            .where(*conditions)
            .order_by(c.created_at.desc(), c.id.desc())
            .offset(query.offset)
            .limit(query.limit)
        )
        with self._db.connect() as conn:
            total = conn.execute(count).scalar_one()
            rows = conn.execute(page).all()
        return [_request(r) for r in rows], total
