"""A background job's record and the rules for moving it from one status to the next.

Every change makes a new value with `revision` one higher; a store writes it only over the
revision it was made from, so of two processes changing the same job one wins and the
other learns it lost. That is what makes a message delivered twice run once: both copies
try to claim the queued job, one claim is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any

import attrs

from pricing_core.errors import Conflict, InvalidRequest

__all__ = [
    "FINISHED",
    "Job",
    "JobQuery",
    "JobStatus",
    "abandoned",
    "claimed",
    "finished",
    "progressed",
    "released",
    "requeued",
]

MAX_ERROR = 2000  # an error message longer than this is cut: it is for people to read


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    PARTIAL = "partial"  # finished, but some of its items failed (the report says which)
    FAILED = "failed"


FINISHED = frozenset({JobStatus.SUCCEEDED, JobStatus.PARTIAL, JobStatus.FAILED})


def _frozen(value: Mapping[str, object] | None) -> Mapping[str, object] | None:
    return None if value is None else MappingProxyType(dict(value))


def _payload(value: Mapping[str, object]) -> Mapping[str, object]:
    return MappingProxyType(dict(value))


def _utc(_: object, attribute: attrs.Attribute[Any], value: datetime | None) -> None:
    if value is not None and value.utcoffset() is None:
        raise InvalidRequest(attribute.name, "must be a timezone-aware time")


@attrs.frozen(kw_only=True)
class Job:
    """One run of a job kind: who asked, what it was given, how far it got, how it ended.

    `payload` and `report` hold JSON values only (str, int, float, bool, None, lists and
    string-keyed mappings of them): they cross the broker and the database as JSON.
    """

    id: str
    kind: str
    status: JobStatus = attrs.field(converter=JobStatus)
    payload: Mapping[str, object] = attrs.field(factory=dict, converter=_payload)
    started_by: str
    request_id: str = ""
    created_at: datetime = attrs.field(validator=_utc)
    # When a message for it was last sent: the reconciler re-sends one that waited too long.
    enqueued_at: datetime = attrs.field(validator=_utc)
    started_at: datetime | None = attrs.field(default=None, validator=_utc)
    # Refreshed by the worker while it runs the job: a stale one means the worker died.
    heartbeat_at: datetime | None = attrs.field(default=None, validator=_utc)
    finished_at: datetime | None = attrs.field(default=None, validator=_utc)
    done: int = attrs.field(default=0, validator=attrs.validators.ge(0))
    total: int | None = None
    attempts: int = attrs.field(default=0, validator=attrs.validators.ge(0))
    revision: int = attrs.field(default=1, validator=attrs.validators.ge(1))
    report: Mapping[str, object] | None = attrs.field(default=None, converter=_frozen)
    error: str | None = None

    @property
    def finished(self) -> bool:
        return self.status in FINISHED


@attrs.frozen(kw_only=True)
class JobQuery:
    """Filters for listing jobs, newest first; None means any."""

    status: JobStatus | None = None
    kind: str | None = None
    started_by: str | None = None
    offset: int = attrs.field(default=0, validator=attrs.validators.ge(0))
    limit: int = attrs.field(
        default=50, validator=[attrs.validators.ge(1), attrs.validators.le(200)]
    )


def _expect(job: Job, *statuses: JobStatus) -> None:
    if job.status not in statuses:
        allowed = " or ".join(statuses)
        raise Conflict(
            f"job {job.id} is {job.status}, not {allowed}", job_id=job.id, status=str(job.status)
        )


def _next(job: Job, **changes: object) -> Job:
    return attrs.evolve(job, revision=job.revision + 1, **changes)  # type: ignore[arg-type]  # attrs.evolve takes the fields as keywords


def claimed(job: Job, now: datetime) -> Job:
    """A queued job taken by a worker: running, one more attempt."""
    _expect(job, JobStatus.QUEUED)
    return _next(
        job,
        status=JobStatus.RUNNING,
        started_at=now,
        heartbeat_at=now,
        attempts=job.attempts + 1,
        done=0,
        total=None,
    )


def progressed(job: Job, done: int, total: int | None, now: datetime) -> Job:
    _expect(job, JobStatus.RUNNING)
    if done < 0 or (total is not None and not 0 <= done <= total):
        raise InvalidRequest("progress", "done must be from 0 to total", f"{done}/{total}")
    return _next(job, done=done, total=total, heartbeat_at=now)


def finished(
    job: Job,
    status: JobStatus,
    now: datetime,
    *,
    report: Mapping[str, object] | None = None,
    error: str | None = None,
) -> Job:
    """A running job's end: succeeded, partial (some items failed) or failed."""
    _expect(job, JobStatus.RUNNING)
    if status not in FINISHED:
        raise InvalidRequest("status", "a job finishes succeeded, partial or failed", status)
    cut = None if error is None else error[:MAX_ERROR]
    return _next(job, status=status, finished_at=now, report=report, error=cut)


def released(job: Job, now: datetime) -> Job:
    """A running job handed back to the queue after a transient failure, to be run again."""
    _expect(job, JobStatus.RUNNING)
    return _next(job, status=JobStatus.QUEUED, enqueued_at=now, heartbeat_at=None)


def requeued(job: Job, now: datetime) -> Job:
    """A queued job whose message is sent again (the first may have been lost)."""
    _expect(job, JobStatus.QUEUED)
    return _next(job, enqueued_at=now)


def abandoned(job: Job, now: datetime, reason: str) -> Job:
    """A running job whose worker stopped answering: failed, with why."""
    return finished(job, JobStatus.FAILED, now, error=reason)
