"""Background jobs (Dramatiq) observed as requests are: one request id, metrics, error reports.

A job carries the request id of whatever enqueued it (an HTTP request, or another job), so
one id follows a user's action from the API into the worker's log lines and Sentry events;
a job enqueued outside any request gets an id of its own. Every run is counted in
`worker_tasks_total{task_name,status}` and timed in `worker_task_duration_seconds`.
"""

from __future__ import annotations

import threading
import time
from contextlib import ExitStack
from typing import Any

import attrs
import sentry_sdk
import structlog
from dramatiq import Middleware
from dramatiq.broker import Broker, MessageProxy
from dramatiq.message import Message

from pricing_adapters.logging_setup import current_request_id, request_id_from, request_scope
from pricing_core.ports import Metrics

__all__ = ["FAILED", "REQUEST_ID", "SKIPPED", "SUCCEEDED", "ObservedJobs", "observe_jobs"]

# The statuses of the Metrics port; each failed attempt counts, retried or not.
SUCCEEDED = "succeeded"
FAILED = "failed"
SKIPPED = "skipped"
REQUEST_ID = "request_id"  # the message option that carries it


@attrs.frozen
class _Run:
    scope: ExitStack
    started: float


class ObservedJobs(Middleware):
    """Runs each message under its request id, with its own Sentry scope, and reports it."""

    def __init__(self, metrics: Metrics) -> None:
        self._metrics = metrics
        # A worker thread runs one message at a time, and all of a message's processing
        # hooks run on that thread: state per thread needs no lock and mixes no messages.
        self._local = threading.local()

    def before_enqueue(self, broker: Broker, message: Message[Any], delay: int) -> None:
        # Fixed when first enqueued, so every retry of the job logs under the same id.
        if not message.options.get(REQUEST_ID):
            message.options[REQUEST_ID] = current_request_id() or request_id_from(None)

    def before_process_message(self, broker: Broker, message: MessageProxy) -> None:
        self._leave()  # an interrupted message may have left its scope behind
        carried = message.options.get(REQUEST_ID)
        scope = ExitStack()
        try:
            # Not a str: enqueued by someone else; request_scope also renews a malformed id.
            request = scope.enter_context(
                request_scope(carried if isinstance(carried, str) else None)
            )
            scope.enter_context(structlog.contextvars.bound_contextvars(job=message.actor_name))
            # Tags and breadcrumbs of this job stay out of the next one's reports.
            reports = scope.enter_context(sentry_sdk.isolation_scope())
            reports.set_tag("request_id", request.request_id)
            reports.set_tag("job", message.actor_name)
        except BaseException:
            scope.close()
            raise
        self._local.run = _Run(scope, time.monotonic())

    def after_process_message(
        self,
        broker: Broker,
        message: MessageProxy,
        *,
        result: Any | None = None,
        exception: BaseException | None = None,
    ) -> None:
        self._finish(message, SUCCEEDED if exception is None else FAILED)

    def after_skip_message(self, broker: Broker, message: MessageProxy) -> None:
        self._finish(message, SKIPPED)

    def _finish(self, message: MessageProxy, status: str) -> None:
        run: _Run | None = getattr(self._local, "run", None)
        # No run when a middleware ahead of this one skipped the message: it took no time.
        seconds = 0.0 if run is None else time.monotonic() - run.started
        try:
            self._metrics.task(message.actor_name, status, seconds)
        finally:
            self._leave()

    def _leave(self) -> None:
        run: _Run | None = getattr(self._local, "run", None)
        self._local.run = None
        if run is not None:
            run.scope.close()


def observe_jobs(broker: Broker, metrics: Metrics) -> ObservedJobs:
    """Add `ObservedJobs` to `broker` ahead of its other middleware.

    First in line, its scope wraps what the others do around a run: the retry's log line
    and the message a job's exhausted retries send carry the job's request id too.
    """
    observed = ObservedJobs(metrics)
    first = type(broker.middleware[0]) if broker.middleware else None
    broker.add_middleware(observed, before=first)
    return observed
