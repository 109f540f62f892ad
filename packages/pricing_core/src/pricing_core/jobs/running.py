"""Running a job: claim it, run its kind with a progress reporter, record how it ended."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext

import attrs

from pricing_core.errors import PricingError, ServiceUnavailable
from pricing_core.jobs.kinds import JobKinds, JobLost
from pricing_core.jobs.model import Job, JobStatus, claimed, finished, progressed, released
from pricing_core.jobs.ports import JobStore, KeepAlive
from pricing_core.ports import Clock

__all__ = ["NoKeepAlive", "RetryLater", "RunJob"]


class RetryLater(ServiceUnavailable):
    """A transient failure (a dependency did not answer): the job is queued again and its
    message is to be retried after a pause."""

    code = "retry_later"


class NoKeepAlive(KeepAlive):
    """For runs whose progress reports are their heartbeat (tests, the command line)."""

    def during(self, job: Job) -> AbstractContextManager[None]:
        return nullcontext()


@attrs.define
class _Reporter:
    """The kind's progress, written to the job; it also proves the worker is alive."""

    store: JobStore
    clock: Clock
    job: Job

    def __call__(self, done: int, total: int | None = None) -> None:
        updated = progressed(self.job, done, total, self.clock.now())
        if not self.store.replace(updated):
            raise JobLost(f"job {self.job.id} was taken from this worker", job_id=self.job.id)
        self.job = updated


@attrs.frozen(kw_only=True)
class RunJob:
    """Runs job `job_id` once, however often its message arrives.

    Only a queued job is run, and only by whoever writes the claim: a second delivery finds
    it running or finished and does nothing. A transient failure (`transient(error)`: a
    database or broker that did not answer) hands the job back to the queue and raises
    RetryLater, until `max_attempts` runs have been tried; any other failure fails the job
    with its message (a domain error's) or its type's name, and is raised again so that the
    worker reports it.
    """

    store: JobStore
    kinds: JobKinds
    clock: Clock
    transient: Callable[[BaseException], bool]
    keep_alive: KeepAlive = attrs.field(factory=NoKeepAlive)
    max_attempts: int = 5

    def __call__(self, job_id: str) -> Job | None:
        """The job as it ended, or None when this call did not run it."""
        job = self.store.get(job_id)
        if job is None or job.status is not JobStatus.QUEUED:
            return None
        running = claimed(job, self.clock.now())
        if not self.store.replace(running):
            return None  # another delivery claimed it first
        try:
            kind = self.kinds.get(job.kind)
        except PricingError as error:
            return self._end(running, JobStatus.FAILED, error=error.message)
        reporter = _Reporter(self.store, self.clock, running)
        try:
            with self.keep_alive.during(running):
                result = kind.run(running.payload, reporter)
        except JobLost:
            return None
        except BaseException as error:
            return self._failed(reporter.job, error)
        if result.failed is not None:
            return self._end(
                reporter.job, JobStatus.FAILED, report=dict(result.report), error=result.failed
            )
        status = JobStatus.PARTIAL if result.partial else JobStatus.SUCCEEDED
        return self._end(reporter.job, status, report=dict(result.report))

    def _failed(self, job: Job, error: BaseException) -> Job | None:
        if self.transient(error):
            if job.attempts >= self.max_attempts:
                reason = f"gave up after {job.attempts} attempts: {type(error).__name__}"
                return self._end(job, JobStatus.FAILED, error=reason)
            self.store.replace(released(job, self.clock.now()))
            raise RetryLater(
                f"job {job.id}: {type(error).__name__}; queued again", job_id=job.id
            ) from error
        if isinstance(error, PricingError):
            return self._end(job, JobStatus.FAILED, error=error.message)
        # Not the message: an unexpected error's text may hold what the job was given.
        self._end(job, JobStatus.FAILED, error=f"unexpected error: {type(error).__name__}")
        raise error

    def _end(
        self,
        job: Job,
        status: JobStatus,
        *,
        report: dict[str, object] | None = None,
        error: str | None = None,
    ) -> Job | None:
        ended = finished(job, status, self.clock.now(), report=report, error=error)
        return ended if self.store.replace(ended) else None
