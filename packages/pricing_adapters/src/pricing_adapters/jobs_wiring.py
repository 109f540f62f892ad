"""The job services assembled from settings: store, queue (a broker or a thread), kinds."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from datetime import timedelta
from functools import partial
from typing import Any

import attrs
from dramatiq.broker import Broker
from sqlalchemy import Engine

from pricing_adapters.jobs_memory import InMemoryJobStore
from pricing_adapters.secrets import SystemSecrets
from pricing_adapters.settings import Settings
from pricing_adapters.sql.jobs import SqlJobStore
from pricing_adapters.sql.purge import purge_refresh_tokens
from pricing_adapters.sql.sessions import SqlRevocationStore
from pricing_adapters.upload_files import StaleUploads
from pricing_adapters.worker.broker import declare_actors, make_broker
from pricing_adapters.worker.queues import DramatiqTaskQueue, InProcessTaskQueue, ThreadKeepAlive
from pricing_adapters.worker.scheduler import Scheduler
from pricing_adapters.worker.transient import is_transient
from pricing_core.access.audit import Auditor
from pricing_core.access.ports import AuditLog
from pricing_core.backups.jobs import BACKUP_CREATE
from pricing_core.jobs.housekeeping import HOUSEKEEPING, Housekeep, Sweep, housekeeping_kind
from pricing_core.jobs.kinds import JobKind, JobKinds
from pricing_core.jobs.ports import JobStore, TaskQueue
from pricing_core.jobs.probe import Probe, probe_kind
from pricing_core.jobs.reconcile import Reconcile
from pricing_core.jobs.running import RunJob
from pricing_core.jobs.service import GetJob, ListJobs, StartJob
from pricing_core.market.refresh import MARKET_REFRESH
from pricing_core.ports import Clock, Metrics

__all__ = ["REFRESH", "JobServices", "build_jobs"]

REFRESH = MARKET_REFRESH  # the kind PRICING_REFRESH_SCHEDULE starts


@attrs.frozen(kw_only=True)
class JobServices:
    """Every job use case, plus what runs them: the broker (None: a thread of this process)."""

    store: JobStore
    queue: TaskQueue
    kinds: JobKinds
    start: StartJob
    run: RunJob
    get: GetJob
    list: ListJobs
    reconcile: Reconcile
    schedules: Mapping[str, str]
    clock: Clock
    broker: Broker | None = None
    # The broker's actors by kind (the worker process declares the same).
    actors: Mapping[str, Any] = attrs.field(factory=dict)

    def scheduler(self) -> Scheduler:
        return Scheduler(
            start=self.start, reconcile=self.reconcile, schedules=self.schedules, clock=self.clock
        )

    def wait(self) -> None:
        """Without a broker: wait until this process has run every job it sent."""
        if isinstance(self.queue, InProcessTaskQueue):
            self.queue.join()


def _sweeps(settings: Settings, engine: Engine | None) -> dict[str, Sweep]:
    sweeps: dict[str, Sweep] = {}
    if engine is not None:  # in memory, sessions end with the process
        sweeps["refresh_tokens"] = partial(purge_refresh_tokens, engine)
        sweeps["revocations"] = SqlRevocationStore(engine).purge
    sweeps["upload_files"] = StaleUploads(folders=[settings.data_dir / "uploads"])
    return sweeps


def build_jobs(
    settings: Settings,
    *,
    engine: Engine | None,
    clock: Clock,
    audit_log: AuditLog,
    metrics: Metrics,
    kinds: Iterable[JobKind] = (),
) -> JobServices:
    """`kinds` adds job kinds to the built-in ones (housekeeping and the probe)."""
    store: JobStore = InMemoryJobStore() if engine is None else SqlJobStore(engine)
    registry = JobKinds.of(
        [
            housekeeping_kind(Housekeep(sweeps=_sweeps(settings, engine), clock=clock)),
            probe_kind(Probe(pause=time.sleep)),
            *kinds,
        ]
    )
    run = RunJob(
        store=store,
        kinds=registry,
        clock=clock,
        transient=is_transient,
        keep_alive=ThreadKeepAlive(store, clock),
    )
    broker: Broker | None = None
    actors: Mapping[str, Any] = {}
    queue: TaskQueue
    if settings.broker_url:
        broker = make_broker(settings.broker_url, metrics)
        actors = declare_actors(broker, registry.names(), run)
        queue = DramatiqTaskQueue(actors)
    else:
        in_process = InProcessTaskQueue(metrics)
        in_process.bind(run)
        queue = in_process
    return JobServices(
        store=store,
        queue=queue,
        kinds=registry,
        start=StartJob(
            store=store,
            queue=queue,
            kinds=registry,
            auditor=Auditor(log=audit_log, clock=clock),
            secrets=SystemSecrets(),
            clock=clock,
        ),
        run=run,
        get=GetJob(store=store),
        list=ListJobs(store=store),
        reconcile=Reconcile(
            store=store,
            queue=queue,
            clock=clock,
            queued_after=timedelta(minutes=settings.job_requeue_minutes),
            stale_after=timedelta(minutes=settings.job_stale_minutes),
        ),
        schedules={
            REFRESH: settings.refresh_schedule,
            HOUSEKEEPING: settings.housekeeping_schedule,
            # Creates, then verifies with a restore test; memory:// keeps nothing to back up.
            BACKUP_CREATE: settings.backup_schedule if engine is not None else "",
        },
        clock=clock,
        broker=broker,
        actors=actors,
    )
