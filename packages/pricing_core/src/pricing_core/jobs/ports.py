"""What the job use cases need from outside: where jobs are kept and how they are sent."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Protocol

from pricing_core.jobs.model import Job, JobQuery, JobStatus

__all__ = ["JobStore", "KeepAlive", "Progress", "TaskQueue"]


class JobStore(Protocol):
    """Job records. Writes are conditional, so concurrent workers never both win a job."""

    def add(self, job: Job) -> bool:
        """Store a new job; False (and nothing written) when its id is taken."""
        ...

    def get(self, job_id: str) -> Job | None: ...

    def replace(self, job: Job) -> bool:
        """Write `job` over the stored one only if that is at `job.revision - 1`; whether
        it was written."""
        ...

    def beat(self, job_id: str, attempt: int, now: datetime) -> bool:
        """Refresh the heartbeat of a job still running its `attempt`; not a new revision."""
        ...

    def query(self, query: JobQuery) -> tuple[Sequence[Job], int]:
        """A page of jobs, newest first, and how many match in all."""
        ...

    def waiting(self, status: JobStatus, before: datetime, limit: int) -> Sequence[Job]:
        """Queued jobs last sent before `before`, or running jobs whose heartbeat is older."""
        ...


class TaskQueue(Protocol):
    """Sends a job to whatever runs jobs: a broker's workers, or a thread of this process."""

    def enqueue(self, job: Job) -> None:
        """Send the job's id; raises ServiceUnavailable when the broker does not take it."""
        ...


class Progress(Protocol):
    """What a job kind reports as it goes; raises JobLost when the job was taken from it."""

    def __call__(self, done: int, total: int | None = None) -> None: ...


class KeepAlive(Protocol):
    """Keeps a running job's heartbeat fresh while its kind works (a thread, in a worker)."""

    def during(self, job: Job) -> AbstractContextManager[None]: ...
