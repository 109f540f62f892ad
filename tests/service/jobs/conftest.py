"""Gear for the job use cases: memory stores, a clock the test moves, kinds the test writes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

import attrs
import pytest

from pricing_adapters.access_memory import InMemoryAuditLog
from pricing_adapters.jobs_memory import InMemoryJobStore
from pricing_adapters.secrets import SystemSecrets
from pricing_adapters.worker.transient import is_transient
from pricing_core.access.audit import Auditor
from pricing_core.access.roles import Permission
from pricing_core.jobs.kinds import JobKind, JobKinds, JobResult
from pricing_core.jobs.model import Job
from pricing_core.jobs.ports import Progress, TaskQueue
from pricing_core.jobs.reconcile import Reconcile
from pricing_core.jobs.running import RunJob
from pricing_core.jobs.service import GetJob, ListJobs, StartJob
from pricing_core.ports import Clock

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


class MovingClock(Clock):
    def __init__(self) -> None:
        self.current = T0

    def now(self) -> datetime:
        return self.current

    def today(self) -> date:
        return self.current.date()

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


class SentJobs(TaskQueue):
    """Remembers what was sent; `down` makes it refuse like a broker that does not answer."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.down = False

    def enqueue(self, job: Job) -> None:
        from pricing_core.errors import ServiceUnavailable

        if self.down:
            raise ServiceUnavailable("broker down")
        self.sent.append(job.id)


@attrs.define
class Calls:
    """A job kind the test controls: what it does on each call, and how often it ran."""

    runs: list[Mapping[str, object]] = attrs.field(factory=list)
    behaviour: Callable[[Mapping[str, object], Progress], JobResult] | None = None

    def __call__(self, payload: Mapping[str, object], progress: Progress) -> JobResult:
        self.runs.append(payload)
        if self.behaviour is not None:
            return self.behaviour(payload, progress)
        progress(1, 1)
        return JobResult(report={"ok": True})


@attrs.define
class Jobs:
    store: InMemoryJobStore
    queue: SentJobs
    audit: InMemoryAuditLog
    clock: MovingClock
    calls: Calls
    start: StartJob
    run: RunJob
    get: GetJob
    list: ListJobs
    reconcile: Reconcile


def _check(payload: Mapping[str, object]) -> Mapping[str, object]:
    return dict(payload)


@pytest.fixture
def jobs() -> Jobs:
    store = InMemoryJobStore()
    queue = SentJobs()
    audit = InMemoryAuditLog()
    clock = MovingClock()
    calls = Calls()
    kinds = JobKinds.of(
        [
            JobKind(
                name="work",
                permission=Permission.CREATE_JOB_PRICING,
                run=calls,
                check=_check,
                schedulable=True,
            )
        ]
    )
    run = RunJob(store=store, kinds=kinds, clock=clock, transient=is_transient, max_attempts=3)
    start = StartJob(
        store=store,
        queue=queue,
        kinds=kinds,
        auditor=Auditor(log=audit, clock=clock),
        secrets=SystemSecrets(),
        clock=clock,
    )
    return Jobs(
        store=store,
        queue=queue,
        audit=audit,
        clock=clock,
        calls=calls,
        start=start,
        run=run,
        get=GetJob(store=store),
        list=ListJobs(store=store),
        reconcile=Reconcile(store=store, queue=queue, clock=clock),
    )


def any_payload() -> dict[str, Any]:
    return {"rows": 3}
