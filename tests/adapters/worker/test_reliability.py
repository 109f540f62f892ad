"""Checklist 30 on Dramatiq's StubBroker with a real Worker: no message is silently lost.

A job that fails for good is dead-lettered and counted (`worker_tasks_total{status=
"dead_lettered"}`, which JobPricingDeadLetters alerts on). A transient failure whose
retry cannot be enqueued (the broker went down: Dramatiq then drops the message, neither
retried nor dead-lettered) leaves the job queued, and the reconciler sends it again.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import attrs
import pytest
from dramatiq import Worker
from dramatiq.brokers.stub import StubBroker
from prometheus_client import CollectorRegistry, generate_latest
from sqlalchemy.exc import OperationalError

from pricing_adapters.access_memory import InMemoryAuditLog
from pricing_adapters.dramatiq_observing import observe_jobs
from pricing_adapters.jobs_memory import InMemoryJobStore
from pricing_adapters.prometheus_metrics import PrometheusMetrics
from pricing_adapters.secrets import SystemSecrets
from pricing_adapters.worker.broker import QUEUE, DeadLetters, declare_actors
from pricing_adapters.worker.queues import DramatiqTaskQueue
from pricing_adapters.worker.transient import is_transient
from pricing_core.access.audit import Auditor, RequestInfo
from pricing_core.access.model import Principal
from pricing_core.access.roles import Permission, Role
from pricing_core.jobs.kinds import JobKind, JobKinds, JobResult
from pricing_core.jobs.model import JobStatus
from pricing_core.jobs.ports import Progress
from pricing_core.jobs.reconcile import Reconcile
from pricing_core.jobs.running import RunJob
from pricing_core.jobs.service import StartJob
from tests.service.jobs.conftest import MovingClock

ADMIN = Principal(role=Role.ADMIN, user_id="u-admin")


@attrs.define
class Flaky:
    """Fails with `errors` in turn, then succeeds."""

    errors: list[BaseException]
    runs: int = 0

    def __call__(self, payload: Mapping[str, object], progress: Progress) -> JobResult:
        self.runs += 1
        if self.errors:
            raise self.errors.pop(0)
        return JobResult(report={"runs": self.runs})


@attrs.define
class Setup:
    broker: StubBroker
    worker: Worker
    store: InMemoryJobStore
    clock: MovingClock
    start: StartJob
    reconcile: Reconcile
    metrics: PrometheusMetrics
    kinds: dict[str, Flaky]

    def drain(self) -> None:
        self.broker.join(QUEUE, fail_fast=False)  # a dead letter is what one test wants
        self.worker.join()

    def metric(self, status: str, kind: str) -> str:
        text = generate_latest(self.metrics.registry).decode()
        line = f'worker_tasks_total{{status="{status}",task_name="job_{kind}"}}'
        return next((row.split()[-1] for row in text.splitlines() if row.startswith(line)), "0")


@pytest.fixture
def setup() -> Iterator[Setup]:
    broker = StubBroker()
    broker.emit_after("process_boot")
    clock = MovingClock()
    metrics = PrometheusMetrics(CollectorRegistry(), clock=clock)
    observe_jobs(broker, metrics)
    broker.add_middleware(DeadLetters(metrics))
    store = InMemoryJobStore()
    kinds = {
        "broken": Flaky([ValueError("a bug")]),
        "flaky": Flaky([OperationalError("SELECT 1", {}, Exception("connection reset"))]),
        "down": Flaky([OperationalError("SELECT 1", {}, Exception("refused"))] * 3),
    }
    registry = JobKinds.of(
        JobKind(name=name, permission=Permission.VIEW_SYSTEM_LOGS, run=run)
        for name, run in kinds.items()
    )
    run = RunJob(store=store, kinds=registry, clock=clock, transient=is_transient)
    # Two retries, 10 ms apart at first: the retry test does not wait for production pauses.
    actors = declare_actors(broker, registry.names(), run, max_retries=2, min_backoff_ms=10)
    queue = DramatiqTaskQueue(actors)
    start = StartJob(
        store=store,
        queue=queue,
        kinds=registry,
        auditor=Auditor(log=InMemoryAuditLog(), clock=clock),
        secrets=SystemSecrets(),
        clock=clock,
    )
    worker = Worker(broker, worker_timeout=50)
    worker.start()
    yield Setup(
        broker=broker,
        worker=worker,
        store=store,
        clock=clock,
        start=start,
        reconcile=Reconcile(store=store, queue=queue, clock=clock),
        metrics=metrics,
        kinds=kinds,
    )
    worker.stop()
    broker.close()


def test_a_job_that_fails_for_good_is_dead_lettered_and_counted(setup: Setup) -> None:
    job = setup.start(ADMIN, "broken", {}, RequestInfo())
    setup.drain()
    stored = setup.store.get(job.id)
    assert stored is not None
    assert stored.status is JobStatus.FAILED
    assert stored.error == "unexpected error: ValueError"
    assert len(setup.broker.dead_letters) == 1  # not retried: a bug stays a bug
    assert setup.kinds["broken"].runs == 1
    assert setup.metric("dead_lettered", "broken") == "1.0"


def test_a_retry_the_broker_did_not_take_is_sent_again_by_the_reconciler(
    setup: Setup, monkeypatch: pytest.MonkeyPatch
) -> None:
    enqueue = setup.broker.enqueue

    def down_for_retries(message: Any, *, delay: int | None = None) -> Any:
        if delay is not None:
            raise ConnectionError("broker down")
        return enqueue(message, delay=delay)

    monkeypatch.setattr(setup.broker, "enqueue", down_for_retries)
    job = setup.start(ADMIN, "flaky", {}, RequestInfo())
    setup.drain()
    lost = setup.store.get(job.id)
    assert lost is not None
    assert (lost.status, lost.attempts) == (JobStatus.QUEUED, 1)  # its message is gone
    assert setup.broker.dead_letters == []
    setup.clock.advance(minutes=6)
    assert setup.reconcile().requeued == 1
    setup.drain()
    ended = setup.store.get(job.id)
    assert ended is not None
    assert ended.status is JobStatus.SUCCEEDED
    assert (ended.attempts, ended.report) == (2, {"runs": 2})


def test_a_transient_failure_is_retried_then_dead_lettered_and_the_job_is_not_lost(
    setup: Setup,
) -> None:
    job = setup.start(ADMIN, "down", {}, RequestInfo())
    setup.drain()
    assert setup.kinds["down"].runs == 3  # the first run and two retries
    assert len(setup.broker.dead_letters) == 1
    assert setup.metric("dead_lettered", "down") == "1.0"
    waiting = setup.store.get(job.id)
    assert waiting is not None
    assert (waiting.status, waiting.attempts) == (JobStatus.QUEUED, 3)
    setup.clock.advance(minutes=6)
    assert setup.reconcile().requeued == 1  # RunJob's 5 attempts are not used up
    setup.drain()
    ended = setup.store.get(job.id)
    assert ended is not None
    assert ended.status is JobStatus.SUCCEEDED  # the database answers again
    assert ended.attempts == 4
