"""Jobs on SQL: every change is one conditional UPDATE on the revision it was made from."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Row, func, select
from sqlalchemy.exc import IntegrityError

from pricing_adapters.sql.tables import jobs
from pricing_core.jobs.model import Job, JobQuery, JobStatus
from pricing_core.jobs.ports import JobStore

__all__ = ["SqlJobStore"]


def _columns(job: Job) -> dict[str, Any]:
    return {
        "id": job.id,
        "kind": job.kind,
        "status": str(job.status),
        "revision": job.revision,
        "payload": json.dumps(dict(job.payload), ensure_ascii=False),
        "started_by": job.started_by,
        "request_id": job.request_id,
        "created_at": job.created_at,
        "enqueued_at": job.enqueued_at,
        "started_at": job.started_at,
        "heartbeat_at": job.heartbeat_at,
        "finished_at": job.finished_at,
        "done": job.done,
        "total": job.total,
        "attempts": job.attempts,
        "report": None if job.report is None else json.dumps(dict(job.report), ensure_ascii=False),
        "error": job.error,
    }


def _job(row: Row[Any]) -> Job:
    return Job(
        id=row.id,
        kind=row.kind,
        status=row.status,
        revision=row.revision,
        payload=json.loads(row.payload),
        started_by=row.started_by,
        request_id=row.request_id,
        created_at=row.created_at,
        enqueued_at=row.enqueued_at,
        started_at=row.started_at,
        heartbeat_at=row.heartbeat_at,
        finished_at=row.finished_at,
        done=row.done,
        total=row.total,
        attempts=row.attempts,
        report=None if row.report is None else json.loads(row.report),
        error=row.error,
    )


class SqlJobStore(JobStore):
    """Concurrent writers queue on the row lock (PostgreSQL) or the write lock (SQLite);
    the later ones re-check the revision against the committed row and match nothing."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def add(self, job: Job) -> bool:
        try:
            with self._engine.begin() as conn:
                conn.execute(jobs.insert().values(**_columns(job)))
        except IntegrityError:
            return False
        return True

    def get(self, job_id: str) -> Job | None:
        with self._engine.connect() as conn:
            row = conn.execute(select(jobs).where(jobs.c.id == job_id)).first()
        return None if row is None else _job(row)

    def replace(self, job: Job) -> bool:
        values = _columns(job)
        del values["id"]
        statement = (
            jobs.update()
            .where(jobs.c.id == job.id, jobs.c.revision == job.revision - 1)
            .values(**values)
        )
        with self._engine.begin() as conn:
            return conn.execute(statement).rowcount == 1

    def beat(self, job_id: str, attempt: int, now: datetime) -> bool:
        statement = (
            jobs.update()
            .where(
                jobs.c.id == job_id,
                jobs.c.status == str(JobStatus.RUNNING),
                jobs.c.attempts == attempt,
            )
            .values(heartbeat_at=now)
        )
        with self._engine.begin() as conn:
            return conn.execute(statement).rowcount == 1

    def query(self, query: JobQuery) -> tuple[Sequence[Job], int]:
        conditions = []
        if query.status is not None:
            conditions.append(jobs.c.status == str(query.status))
        if query.kind is not None:
            conditions.append(jobs.c.kind == query.kind)
        if query.started_by is not None:
            conditions.append(jobs.c.started_by == query.started_by)
        page = (
            select(jobs)
            .where(*conditions)
            .order_by(jobs.c.created_at.desc(), jobs.c.id.desc())
            .offset(query.offset)
            .limit(query.limit)
        )
        count = select(func.count()).select_from(jobs).where(*conditions)
        with self._engine.connect() as conn:
            rows = conn.execute(page).all()
            total = conn.execute(count).scalar_one()
        return [_job(r) for r in rows], total

    def waiting(self, status: JobStatus, before: datetime, limit: int) -> Sequence[Job]:
        since = jobs.c.enqueued_at if status is JobStatus.QUEUED else jobs.c.heartbeat_at
        statement = (
            select(jobs)
            .where(jobs.c.status == str(status), since < before)
            .order_by(since)
            .limit(limit)
        )
        with self._engine.connect() as conn:
            return [_job(r) for r in conn.execute(statement).all()]
