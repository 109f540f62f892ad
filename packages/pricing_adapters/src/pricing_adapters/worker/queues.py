"""TaskQueue adapters: Dramatiq's broker, or a thread of this process (no broker)."""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import dramatiq
import dramatiq.errors

from pricing_adapters.dramatiq_observing import FAILED, REQUEST_ID, SUCCEEDED
from pricing_adapters.logging_setup import request_scope
from pricing_adapters.worker.broker import actor_name
from pricing_core.errors import ServiceUnavailable
from pricing_core.jobs.model import Job
from pricing_core.jobs.ports import JobStore, KeepAlive, TaskQueue
from pricing_core.jobs.running import RetryLater
from pricing_core.ports import Clock, Metrics

__all__ = ["DramatiqTaskQueue", "InProcessTaskQueue", "ThreadKeepAlive"]

log = logging.getLogger(__name__)


class DramatiqTaskQueue(TaskQueue):
    """Sends the job id to its kind's actor, under the job's request id."""

    def __init__(self, actors: Mapping[str, dramatiq.Actor[Any, Any]]) -> None:
        self._actors = actors

    def enqueue(self, job: Job) -> None:
        actor = self._actors[job.kind]
        # Without one (a scheduled job), the broker's ObservedJobs gives the job its own.
        options: dict[str, Any] = {REQUEST_ID: job.request_id} if job.request_id else {}
        try:
            actor.send_with_options(args=(job.id,), **options)
        except (dramatiq.errors.BrokerConnectionError, ConnectionError, OSError) as error:
            raise ServiceUnavailable(f"the broker did not take job {job.id}") from error


class InProcessTaskQueue(TaskQueue):
    """No broker: one daemon thread of this process runs the jobs, in order.

    A transient failure is tried again after a pause, as a broker would; jobs still queued
    when the process stops are sent again by the reconciler of the next one.
    """

    def __init__(self, metrics: Metrics, retry_pause: float = 1.0) -> None:
        self._metrics = metrics
        self._pause = retry_pause
        self._jobs: queue.Queue[tuple[str, str, str]] = queue.Queue()
        self._run: Callable[[str], Job | None] | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def bind(self, run: Callable[[str], Job | None]) -> None:
        self._run = run

    def enqueue(self, job: Job) -> None:
        self._jobs.put((job.id, job.kind, job.request_id))
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._work, name="jobs", daemon=True)
                self._thread.start()

    def _work(self) -> None:
        while True:
            job_id, kind, request_id = self._jobs.get()
            try:
                self._once(job_id, kind, request_id)
            finally:
                self._jobs.task_done()

    def _once(self, job_id: str, kind: str, request_id: str) -> None:
        if self._run is None:
            return
        started = time.monotonic()
        status = SUCCEEDED
        with request_scope(request_id or None):
            try:
                self._run(job_id)
            except RetryLater:
                status = FAILED
                timer = threading.Timer(
                    self._pause, self._jobs.put, args=((job_id, kind, request_id),)
                )
                timer.daemon = True
                timer.start()
            except Exception:
                status = FAILED
                log.exception("job %s (%s) failed", job_id, kind)
        self._metrics.task(actor_name(kind), status, time.monotonic() - started)

    def join(self) -> None:
        """Wait until every job sent so far has run (the command line's `--wait`)."""
        self._jobs.join()


class ThreadKeepAlive(KeepAlive):
    """Beats a running job's heartbeat from a thread every `every` seconds, so a long step
    without progress reports does not look like a dead worker to the reconciler."""

    def __init__(self, store: JobStore, clock: Clock, every: float = 30.0) -> None:
        self._store = store
        self._clock = clock
        self._every = every

    @contextmanager
    def during(self, job: Job) -> Iterator[None]:
        stop = threading.Event()

        def beat() -> None:
            while not stop.wait(self._every):
                try:
                    if not self._store.beat(job.id, job.attempts, self._clock.now()):
                        return
                except Exception:  # the database may be back at the next beat
                    log.warning("heartbeat of job %s not written", job.id, exc_info=True)

        thread = threading.Thread(target=beat, name=f"heartbeat-{job.id}", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()
