"""Jobs in memory: the embedded default with `memory://`, and the fake for service tests."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import datetime

import attrs

from pricing_core.jobs.model import Job, JobQuery, JobStatus
from pricing_core.jobs.ports import JobStore

__all__ = ["InMemoryJobStore"]


class InMemoryJobStore(JobStore):
    """One lock makes each read-check-write as atomic as the SQL store's conditional UPDATE."""

    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def add(self, job: Job) -> bool:
        with self._lock:
            if job.id in self._jobs:
                return False
            self._jobs[job.id] = job
            return True

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def replace(self, job: Job) -> bool:
        with self._lock:
            stored = self._jobs.get(job.id)
            if stored is None or stored.revision != job.revision - 1:
                return False
            self._jobs[job.id] = job
            return True

    def beat(self, job_id: str, attempt: int, now: datetime) -> bool:
        with self._lock:
            stored = self._jobs.get(job_id)
            if stored is None or stored.status is not JobStatus.RUNNING:
                return False
            if stored.attempts != attempt:
                return False
            self._jobs[job_id] = attrs.evolve(stored, heartbeat_at=now)
            return True

    def query(self, query: JobQuery) -> tuple[Sequence[Job], int]:
        with self._lock:
            found = [
                job
                for job in self._jobs.values()
                if (query.status is None or job.status is query.status)
                and (query.kind is None or job.kind == query.kind)
                and (query.started_by is None or job.started_by == query.started_by)
            ]
        found.sort(key=lambda job: (job.created_at, job.id), reverse=True)
        return found[query.offset : query.offset + query.limit], len(found)

    def waiting(self, status: JobStatus, before: datetime, limit: int) -> Sequence[Job]:
        def since(job: Job) -> datetime | None:
            return job.enqueued_at if status is JobStatus.QUEUED else job.heartbeat_at

        with self._lock:
            found = [
                job
                for job in self._jobs.values()
                if job.status is status and (at := since(job)) is not None and at < before
            ]
        found.sort(key=lambda job: since(job) or before)
        return found[:limit]
