"""The JSON shape of a job, the same from `pricing jobs --json` and GET /api/v1/jobs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from pricing_core.jobs.model import Job, JobStatus

__all__ = ["JobOut", "JobPageOut", "job_json"]


def _time(instant: datetime | None) -> str | None:
    return None if instant is None else instant.isoformat()


def job_json(job: Job) -> dict[str, Any]:
    """Everything about a job but its payload, which may hold what its starter uploaded."""
    return {
        "id": job.id,
        "kind": job.kind,
        "status": str(job.status),
        "progress": {"done": job.done, "total": job.total},
        "started_by": job.started_by,
        "request_id": job.request_id,
        "created_at": _time(job.created_at),
        "started_at": _time(job.started_at),
        "finished_at": _time(job.finished_at),
        "attempts": job.attempts,
        "report": None if job.report is None else dict(job.report),
        "error": job.error,
    }


class ProgressOut(msgspec.Struct):
    done: int
    total: int | None


class JobOut(msgspec.Struct):
    """A background job: `report` is the kind's own JSON once it finished (null before)."""

    id: str
    kind: str
    status: JobStatus
    progress: ProgressOut
    started_by: str
    request_id: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    attempts: int
    report: dict[str, Any] | None
    error: str | None


class JobPageOut(msgspec.Struct):
    """One page of jobs, newest first, and how many match the filters in all."""

    items: list[JobOut]
    total: int
    limit: int
    offset: int
