"""The reconciler: re-sends jobs whose message was lost, fails jobs whose worker died."""

from __future__ import annotations

from datetime import timedelta

import attrs

from pricing_core.errors import ServiceUnavailable
from pricing_core.jobs.model import JobStatus, abandoned, requeued
from pricing_core.jobs.ports import JobStore, TaskQueue
from pricing_core.ports import Clock

__all__ = ["Reconcile", "Reconciled"]


@attrs.frozen(kw_only=True)
class Reconciled:
    requeued: int = 0
    abandoned: int = 0


@attrs.frozen(kw_only=True)
class Reconcile:
    """A broker can drop a message (a failed retry enqueue, a restart without persistence)
    and a worker can die mid-job (killed, out of memory): neither may leave a job waiting
    for ever. Queued jobs last sent over `queued_after` ago are sent again (a duplicate
    message is harmless: only one claim wins); running jobs whose heartbeat is older than
    `stale_after` are failed. Several processes may reconcile at once: each change is
    written only over the revision read, so a job is re-sent or failed once.
    """

    store: JobStore
    queue: TaskQueue
    clock: Clock
    queued_after: timedelta = timedelta(minutes=5)
    stale_after: timedelta = timedelta(minutes=10)
    batch: int = 100

    def __call__(self) -> Reconciled:
        now = self.clock.now()
        sent = 0
        for job in self.store.waiting(JobStatus.QUEUED, now - self.queued_after, self.batch):
            again = requeued(job, now)
            if self.store.replace(again):
                try:
                    self.queue.enqueue(again)
                except ServiceUnavailable:
                    break  # the broker is down: the next round tries again
                sent += 1
        failed = 0
        for job in self.store.waiting(JobStatus.RUNNING, now - self.stale_after, self.batch):
            since = job.heartbeat_at or job.started_at or job.enqueued_at
            reason = f"the worker stopped during the job (no heartbeat since {since.isoformat()})"
            if self.store.replace(abandoned(job, now, reason)):
                failed += 1
        return Reconciled(requeued=sent, abandoned=failed)
