"""Starting, reading and listing jobs: the use cases behind the API and the command line."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import suppress
from datetime import datetime

import attrs

from pricing_core.access.audit import Auditor, RequestInfo, require
from pricing_core.access.model import Outcome, Principal
from pricing_core.access.ports import Secrets
from pricing_core.access.roles import Permission, Role
from pricing_core.errors import Conflict, NotFound, ServiceUnavailable
from pricing_core.jobs.kinds import JobKinds
from pricing_core.jobs.model import Job, JobQuery, JobStatus
from pricing_core.jobs.ports import JobStore, TaskQueue
from pricing_core.ports import Clock

__all__ = ["SCHEDULER", "GetJob", "ListJobs", "StartJob", "scheduled_id"]

# Who starts the scheduled jobs: the audit log and `started_by` name it.
SCHEDULER = Principal(role=Role.ADMIN, user_id="system:scheduler")


def scheduled_id(kind: str, slot: datetime) -> str:
    """The one id of `kind`'s run at `slot`: every worker process computes the same, and
    the store takes it once, so a schedule fires once however many workers watch it."""
    return f"{kind}@{slot:%Y-%m-%dT%H:%MZ}"


@attrs.frozen(kw_only=True)
class StartJob:
    """Checks the caller may start the kind and its payload, records the job queued, audits
    it, then sends it. A broker that does not take the message loses nothing: the job stays
    queued and the reconciler sends it again."""

    store: JobStore
    queue: TaskQueue
    kinds: JobKinds
    auditor: Auditor
    secrets: Secrets
    clock: Clock

    def __call__(
        self,
        principal: Principal,
        kind: str,
        payload: Mapping[str, object],
        info: RequestInfo,
    ) -> Job:
        found = self.kinds.get(kind)
        require(principal, found.permission)
        job = self._job(principal, kind, found.check(payload), info, self.secrets.new_id())
        if not self.store.add(job):
            raise Conflict(f"job {job.id} exists", job_id=job.id)
        return self._send(job, principal, info)

    def scheduled(self, kind: str, slot: datetime) -> Job | None:
        """Start `kind` for the schedule's `slot`; None when another process already did."""
        found = self.kinds.get(kind)
        info = RequestInfo(user_agent="scheduler")
        job = self._job(SCHEDULER, kind, found.check({}), info, scheduled_id(kind, slot))
        if not self.store.add(job):
            return None
        return self._send(job, SCHEDULER, info)

    def _job(
        self,
        principal: Principal,
        kind: str,
        payload: Mapping[str, object],
        info: RequestInfo,
        job_id: str,
    ) -> Job:
        now = self.clock.now()
        return Job(
            id=job_id,
            kind=kind,
            status=JobStatus.QUEUED,
            payload=payload,
            started_by=principal.actor,
            # The id its log lines and error reports carry in the worker: the starter's
            # request's, or one of its own (a command line, the scheduler).
            request_id=info.request_id or self.secrets.new_id(),
            created_at=now,
            enqueued_at=now,
        )

    def _send(self, job: Job, principal: Principal, info: RequestInfo) -> Job:
        self.auditor.record(
            "job_start",
            Outcome.SUCCESS,
            info,
            actor=principal.actor,
            target_type="job",
            target_id=job.id,
            detail={"kind": job.kind},
        )
        # Recorded as queued: if the broker does not take it, the reconciler sends it later.
        with suppress(ServiceUnavailable):
            self.queue.enqueue(job)
        return job


@attrs.frozen(kw_only=True)
class GetJob:
    """A job, for the one who started it or a holder of VIEW_SYSTEM_LOGS; anyone else is
    told it does not exist, so job ids cannot be probed."""

    store: JobStore

    def __call__(self, principal: Principal, job_id: str) -> Job:
        job = self.store.get(job_id)
        visible = job is not None and (
            job.started_by == principal.actor or principal.can(Permission.VIEW_SYSTEM_LOGS)
        )
        if job is None or not visible:
            raise NotFound(f"no job {job_id!r}", job_id=job_id)
        return job


@attrs.frozen(kw_only=True)
class ListJobs:
    """A page of jobs, newest first, for holders of VIEW_SYSTEM_LOGS."""

    store: JobStore

    def __call__(self, principal: Principal, query: JobQuery) -> tuple[Sequence[Job], int]:
        require(principal, Permission.VIEW_SYSTEM_LOGS)
        return self.store.query(query)
