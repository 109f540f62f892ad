"""Jobs on a real Redis broker: the enqueuing request's id in their logs, metrics, no leaks."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dramatiq
import pytest
import sentry_sdk
import structlog
from dramatiq import Middleware, Worker
from dramatiq.brokers.redis import RedisBroker
from dramatiq.middleware import SkipMessage
from sentry_sdk.envelope import Envelope
from sentry_sdk.transport import Transport

from pricing_adapters.dramatiq_observing import ObservedJobs, observe_jobs
from pricing_adapters.logging_setup import configure_logging, current_request_id, request_scope
from pricing_adapters.prometheus_metrics import PrometheusMetrics
from pricing_adapters.sentry import init_sentry
from pricing_adapters.settings import Settings
from tests.adapters.observability.conftest import value
from tests.gear.redis_keys import redis_client

pytestmark = pytest.mark.integration

QUEUE = "default"
# Only keeps a broken test from hanging: every join here is expected back within a second.
JOIN_MS = 60_000
log = logging.getLogger("tests.jobs")


@pytest.fixture
def broker(redis_url: str) -> Iterator[RedisBroker]:
    """A broker in a Redis namespace of this test's own, deleted afterwards."""
    namespace = f"pricing-test-jobs-{uuid.uuid4().hex[:12]}"
    broker = RedisBroker(url=redis_url, namespace=namespace)  # type: ignore[no-untyped-call]  # untyped upstream
    yield broker
    broker.client.close()
    client = redis_client(redis_url)
    keys = list(client.scan_iter(match=f"{namespace}:*", count=500))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture
def json_logs(tmp_path: Path) -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    configure_logging(
        Settings.from_env({"PRICING_DATA_DIR": str(tmp_path), "PRICING_LOG_FORMAT": "json"})
    )
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@contextmanager
def working(broker: RedisBroker, threads: int) -> Iterator[Worker]:
    worker = Worker(broker, worker_threads=threads, worker_timeout=100)
    worker.start()
    try:
        yield worker
    finally:
        worker.stop()


def drain(broker: RedisBroker, worker: Worker) -> None:
    """Wait until every message sent so far, and every one those sent, was processed."""
    broker.join(QUEUE, timeout=JOIN_MS)
    worker.join()


def logged_all(err: str) -> list[dict[str, Any]]:
    return [json.loads(x) for x in err.splitlines() if x.startswith("{")]


def logged(err: str, event: str) -> list[dict[str, Any]]:
    return [line for line in logged_all(err) if line.get("event") == event]


def test_a_job_logs_under_the_id_of_the_request_that_enqueued_it(
    broker: RedisBroker,
    metrics: PrometheusMetrics,
    json_logs: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    observe_jobs(broker, metrics)

    def note(label: str) -> None:
        log.warning("job ran", extra={"label": label})

    noted = dramatiq.actor(broker=broker, actor_name="note")(note)

    def fan_out(label: str) -> None:
        noted.send(f"{label}, then its child")

    fanned = dramatiq.actor(broker=broker, actor_name="fan_out")(fan_out)

    def fail() -> None:
        raise LookupError("the job failed")

    failed = dramatiq.actor(broker=broker, actor_name="fail", max_retries=0)(fail)
    with request_scope("req-123"):
        noted.send("inside")
        fanned.send("a parent job")
        failed.send()
    noted.send("outside 1")
    noted.send("outside 2")
    with working(broker, threads=2) as worker:
        drain(broker, worker)

    err = capsys.readouterr().err
    lines = {line["label"]: line for line in logged(err, "job ran")}
    assert lines["inside"]["request_id"] == "req-123"
    assert lines["inside"]["job"] == "note"
    # A job enqueued by a job still belongs to the request that started it all.
    assert lines["a parent job, then its child"]["request_id"] == "req-123"
    outside = {lines["outside 1"]["request_id"], lines["outside 2"]["request_id"]}
    assert len(outside) == 2, "two jobs enqueued outside a request share an id"
    assert "req-123" not in outside
    assert all(isinstance(x, str) and x for x in outside)
    # The worker's report of the failure, and the retry middleware's, name the request too.
    [failure] = logged(err, "Failed to process message fail() with unhandled exception.")
    [given_up] = [x for x in logged_all(err) if x["event"].startswith("Retries exceeded")]
    assert failure["request_id"] == given_up["request_id"] == "req-123"


def test_each_run_is_counted_by_status_and_timed(
    broker: RedisBroker, metrics: PrometheusMetrics
) -> None:
    observe_jobs(broker, metrics)

    def check(n: int) -> None:
        if n < 0:
            raise LookupError(f"no entry {n}")

    checked = dramatiq.actor(broker=broker, actor_name="check", max_retries=0)(check)
    for n in (1, -1, 2, -2, 3):
        checked.send(n)
    with working(broker, threads=2) as worker:
        drain(broker, worker)

    exposition = metrics.exposition()
    assert value(exposition, "worker_tasks_total", task_name="check", status="succeeded") == 3
    assert value(exposition, "worker_tasks_total", task_name="check", status="failed") == 2
    assert value(exposition, "worker_task_duration_seconds_count", task_name="check") == 5


class Between(Middleware):
    """Ahead of `ObservedJobs`: what a worker thread holds before and after each message."""

    def __init__(self) -> None:
        self.seen: list[tuple[Any, ...]] = []

    def _look(self) -> None:
        bound = tuple(sorted(structlog.contextvars.get_contextvars().items()))
        self.seen.append((current_request_id(), bound, id(sentry_sdk.get_isolation_scope())))

    def before_process_message(self, broker: Any, message: Any) -> None:
        self._look()

    def after_process_message(
        self, broker: Any, message: Any, *, result: Any = None, exception: Any = None
    ) -> None:
        self._look()

    def after_skip_message(self, broker: Any, message: Any) -> None:
        self._look()


class SkipLabelled(Middleware):
    """Behind `ObservedJobs`: skips messages whose argument is "skip", as AgeLimit would."""

    def before_process_message(self, broker: Any, message: Any) -> None:
        if message.args == ("skip",):
            raise SkipMessage("skipped by the test")


def test_nothing_of_a_job_is_left_on_its_thread(
    broker: RedisBroker, metrics: PrometheusMetrics
) -> None:
    observe_jobs(broker, metrics)
    between = Between()
    broker.add_middleware(between, before=ObservedJobs)
    broker.add_middleware(SkipLabelled())
    inside: dict[str, tuple[str | None, int]] = {}

    def remember(label: str) -> None:
        if label == "fail":
            raise LookupError("the job failed")
        inside[label] = (current_request_id(), id(sentry_sdk.get_isolation_scope()))

    remembered = dramatiq.actor(broker=broker, actor_name="remember", max_retries=0)(remember)
    # One thread, so every message runs where the earlier ones ran.
    with working(broker, threads=1) as worker:
        with request_scope("req-123"):
            remembered.send("first")
            remembered.send("fail")
            remembered.send("skip")
        drain(broker, worker)
        remembered.send("later")
        drain(broker, worker)

    assert inside["first"][0] == "req-123"
    assert inside["later"][0] not in {None, "req-123"}
    # Before and after each of the four messages, the thread is as it was at the start.
    assert len(between.seen) == 8
    [(request_id, bound, reports)] = set(between.seen)
    assert (request_id, bound) == (None, ())
    assert reports not in {inside["first"][1], inside["later"][1]}
    skipped = value(
        metrics.exposition(), "worker_tasks_total", task_name="remember", status="skipped"
    )
    assert skipped == 1


class Reports(Transport):
    """Keeps the error events Sentry would send."""

    def __init__(self, options: Any = None) -> None:
        super().__init__(options)
        self.events: list[dict[str, Any]] = []

    def capture_envelope(self, envelope: Envelope) -> None:
        self.events.extend(
            item.payload.json
            for item in envelope.items
            if item.type == "event" and item.payload.json is not None
        )


@pytest.fixture
def reports(tmp_path: Path) -> Iterator[Reports]:
    """Sentry initialised as the applications do it, its envelopes kept in memory."""
    transport = Reports()
    settings = Settings.from_env(
        {"PRICING_DATA_DIR": str(tmp_path), "PRICING_SENTRY_DSN": "https://public@sentry.invalid/1"}
    )
    assert init_sentry(settings, release="test", transport=transport)
    try:
        yield transport
    finally:
        sentry_sdk.get_client().close()
        sentry_sdk.get_global_scope().set_client(None)


def test_an_error_report_names_the_job_and_its_request_alone(
    broker: RedisBroker, metrics: PrometheusMetrics, reports: Reports
) -> None:
    observe_jobs(broker, metrics)
    ids: dict[str, str | None] = {}

    def chatty() -> None:
        log.warning("crumb from the first job")

    def boom() -> None:
        ids["boom"] = current_request_id()
        log.warning("crumb from the failing job")
        raise LookupError("the job failed")

    chatted = dramatiq.actor(broker=broker, actor_name="chatty")(chatty)
    boomed = dramatiq.actor(broker=broker, actor_name="boom", max_retries=0)(boom)
    with working(broker, threads=1) as worker:
        with request_scope("req-123"):
            chatted.send()
        drain(broker, worker)
        boomed.send()
        drain(broker, worker)

    [event] = [e for e in reports.events if "exception" in e]
    assert event["exception"]["values"][-1]["type"] == "LookupError"
    assert event["tags"]["job"] == "boom"
    assert event["tags"]["request_id"] == ids["boom"] != "req-123"
    crumbs = [crumb.get("message") for crumb in event["breadcrumbs"]["values"]]
    assert "crumb from the failing job" in crumbs
    assert "crumb from the first job" not in crumbs, "the previous job's breadcrumbs leaked"
