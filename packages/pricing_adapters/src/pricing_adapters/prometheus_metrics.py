"""Prometheus metrics on an injected registry, correct across processes in multiprocess mode."""

from __future__ import annotations

import contextlib
import logging
import os
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from pathlib import Path

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client import values as prometheus_values
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead
from prometheus_client.registry import Collector

from pricing_adapters.settings import Settings
from pricing_core.market.ports import MarketAdmin, MarketReader
from pricing_core.ports import Clock, Metrics

__all__ = [
    "CONTENT_TYPE",
    "MULTIPROC_ENV",
    "PrometheusMetrics",
    "build_metrics",
    "enable_multiprocess",
    "market_import_times",
]

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
# The text format every Prometheus version reads; the server adds "; charset=utf-8".
CONTENT_TYPE = "text/plain; version=0.0.4"
LABEL_MAX = 48
QUERY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_LIVE_FILE = re.compile(r"^gauge_live\w+?_(\d+)\.db$")
log = logging.getLogger("pricing_adapters.metrics")

MarketTimes = Callable[[], Mapping[str, datetime]]


def _label(value: str) -> str:
    """Label values come from code, but a bug must not create unbounded series or huge ones."""
    return (value or "unknown")[:LABEL_MAX]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, run by another user
    return True


def enable_multiprocess(directory: Path) -> None:
    """Share metrics between the API processes through files in `directory`.

    prometheus_client reads PROMETHEUS_MULTIPROC_DIR when it is imported and when it opens
    each process's files, so the variable is set here and the value class switched for a
    setting given as PRICING_METRICS_DIR. Live gauges of processes that are gone are
    dropped, so a restarted worker's old in-progress count does not linger.
    """
    directory.mkdir(parents=True, exist_ok=True)
    # prometheus_client reads the variable itself: the setting can only reach it this way.
    os.environ[MULTIPROC_ENV] = str(directory)  # noqa: TID251 - written, for the library
    if not getattr(prometheus_values.ValueClass, "_multiprocess", False):
        # Imported before the variable was set: switch to the class it would have chosen.
        value_class = prometheus_values.MultiProcessValue()  # type: ignore[no-untyped-call]  # untyped upstream
        prometheus_values.ValueClass = value_class
    for path in directory.iterdir():
        found = _LIVE_FILE.match(path.name)
        if found and not _alive(int(found.group(1))):
            # Another process starting at the same time may remove it first.
            with contextlib.suppress(OSError):
                mark_process_dead(int(found.group(1)), str(directory))  # type: ignore[no-untyped-call]  # untyped upstream


def market_import_times(market: MarketReader, admin: MarketAdmin) -> dict[str, datetime]:
    """When each source's active version was imported: what the data-age gauge is made of."""
    found: dict[str, datetime] = {}
    for source in market.sources():
        for version, active in admin.versions(source.name):
            if active:
                found[source.name] = version.imported_at
    return found


class _MarketAge(Collector):
    """`market_data_version_age_seconds{source}`, computed when Prometheus scrapes."""

    NAME = "market_data_version_age_seconds"
    HELP = "Seconds since the active version of each market data source was imported."

    def __init__(self, times: MarketTimes, clock: Clock) -> None:
        self._times = times
        self._clock = clock

    def describe(self) -> Iterable[Metric]:
        return [GaugeMetricFamily(self.NAME, self.HELP, labels=["source"])]

    def collect(self) -> Iterable[Metric]:
        family = GaugeMetricFamily(self.NAME, self.HELP, labels=["source"])
        try:
            times = self._times()
        except Exception as error:  # a scrape must answer even with the database down
            log.warning("market data age unavailable: %s", type(error).__name__)
            times = {}
        now = self._clock.now()
        for source, imported_at in sorted(times.items()):
            family.add_metric([_label(source)], max(0.0, (now - imported_at).total_seconds()))
        return [family]


class PrometheusMetrics(Metrics):
    """Every metric of the product, created on `registry`.

    With `multiprocess_dir`, each process writes its values to files there and a scrape
    merges every process's files (`exposition`); the registry then only holds this process's
    view. Gauges say how they merge: in-progress requests and open connections are summed
    over live processes, the limiter is degraded when any live process says so.
    """

    def __init__(
        self,
        registry: CollectorRegistry,
        *,
        clock: Clock,
        multiprocess_dir: Path | None = None,
    ) -> None:
        self.registry = registry
        self.multiprocess_dir = multiprocess_dir
        self._clock = clock
        self._scrape_extra: list[Collector] = []
        # `_created` series (a process-wide switch) double the output and nothing reads them.
        disable_created_metrics()  # type: ignore[no-untyped-call]  # untyped upstream
        self.requests = Counter(
            "http_requests_total",
            "HTTP requests answered, by route template and status.",
            ["method", "endpoint", "status_code"],
            registry=registry,
        )
        self.request_seconds = Histogram(
            "http_request_duration_seconds",
            "Time to answer an HTTP request, by route template.",
            ["method", "endpoint"],
            registry=registry,
        )
        self.in_progress = Gauge(
            "http_requests_in_progress",
            "HTTP requests being answered.",
            multiprocess_mode="livesum",
            registry=registry,
        )
        self.connections = Gauge(
            "db_connections_active",
            "Database connections checked out of the pool.",
            multiprocess_mode="livesum",
            registry=registry,
        )
        self.query_seconds = Histogram(
            "db_query_duration_seconds",
            "SQL statement time, by statement shape (a short hash; `pricing db stats`).",
            ["shape"],
            buckets=QUERY_BUCKETS,
            registry=registry,
        )
        self.operation_seconds = Histogram(
            "operation_duration_seconds",
            "Time spent in a named operation (`timed`).",
            ["name"],
            registry=registry,
        )
        self.tasks = Counter(
            "worker_tasks_total",
            "Background jobs finished, by job name and status.",
            ["task_name", "status"],
            registry=registry,
        )
        self.task_seconds = Histogram(
            "worker_task_duration_seconds",
            "Background job run time, by job name.",
            ["task_name"],
            registry=registry,
        )
        self.rate_limits = Counter(
            "rate_limit_decisions_total",
            "Rate-limit decisions, by outcome.",
            ["outcome"],
            registry=registry,
        )
        self.degraded = Gauge(
            "rate_limiter_degraded",
            "1 while a process limits requests on its own because the shared store is down.",
            multiprocess_mode="livemax",
            registry=registry,
        )
        self.quotes = Counter(
            "pricing_quotes_total",
            "Prices quoted, by confidence label.",
            ["confidence"],
            registry=registry,
        )
        self.login_failures = Counter(
            "login_failures_total", "Login attempts refused.", registry=registry
        )
        # No series until a check ran: the alerts treat absence as "no verified backup".
        self.backup_checks = Gauge(
            "backup_last_verification_timestamp_seconds",
            "Unix time of the last backup check that passed (success) or failed (failure).",
            ["result"],
            multiprocess_mode="max",
            registry=registry,
        )
        # The newest check's figures: the process that ran it last is the one to believe.
        self.backups_invalid = Gauge(
            "backups_invalid",
            "Backup files that failed a check at the last verification.",
            multiprocess_mode="mostrecent",
            registry=registry,
        )
        self.restore_ok = Gauge(
            "backup_restore_test_success",
            "1 when the last restore test passed, 0 when it failed.",
            multiprocess_mode="mostrecent",
            registry=registry,
        )
        self.restore_seconds = Gauge(
            "backup_restore_test_duration_seconds",
            "How long the last restore test took, restore and comparison included.",
            multiprocess_mode="mostrecent",
            registry=registry,
        )

    # The port: what use cases and the other adapters report.

    def quote(self, confidence: str) -> None:
        self.quotes.labels(_label(confidence)).inc()

    def rate_limit(self, outcome: str) -> None:
        self.rate_limits.labels(_label(outcome)).inc()

    def limiter_degraded(self, degraded: bool) -> None:
        self.degraded.set(1 if degraded else 0)

    def login_failed(self) -> None:
        self.login_failures.inc()

    def task(self, name: str, status: str, seconds: float) -> None:
        self.tasks.labels(_label(name), _label(status)).inc()
        self.task_seconds.labels(_label(name)).observe(max(0.0, seconds))

    def backup_verified(self, ok: bool, at: datetime) -> None:
        self.backup_checks.labels("success" if ok else "failure").set(at.timestamp())

    def backup_figures(
        self, invalid: int, restore_ok: bool | None, restore_seconds: float | None
    ) -> None:
        self.backups_invalid.set(invalid)
        if restore_ok is not None:
            self.restore_ok.set(1 if restore_ok else 0)
        if restore_seconds is not None:
            self.restore_seconds.set(max(0.0, restore_seconds))

    # The HTTP edge, the database and timed operations.

    def request_started(self) -> None:
        self.in_progress.inc()

    def request_finished(self, method: str, endpoint: str, status: int, seconds: float) -> None:
        self.in_progress.dec()
        self.requests.labels(_label(method), endpoint, str(status)).inc()
        self.request_seconds.labels(_label(method), endpoint).observe(seconds)

    def connections_active(self, count: int) -> None:
        self.connections.set(count)

    def query(self, shape: str, seconds: float) -> None:
        self.query_seconds.labels(_label(shape)).observe(seconds)

    def operation(self, name: str, seconds: float) -> None:
        self.operation_seconds.labels(_label(name)).observe(seconds)

    # Scraping.

    def track_market_data(self, times: MarketTimes) -> None:
        """Report the age of each source's active version, read at scrape time from `times`."""
        collector = _MarketAge(times, self._clock)
        self._scrape_extra.append(collector)
        if self.multiprocess_dir is None:
            self.registry.register(collector)

    def exposition(self) -> bytes:
        """The text exposition of every metric: merged over all processes in multiprocess mode."""
        if self.multiprocess_dir is None:
            return generate_latest(self.registry)
        merged = CollectorRegistry()
        MultiProcessCollector(merged, path=str(self.multiprocess_dir))  # type: ignore[no-untyped-call]  # untyped upstream
        for collector in self._scrape_extra:
            merged.register(collector)
        return generate_latest(merged)


def build_metrics(settings: Settings, clock: Clock) -> PrometheusMetrics:
    """The process's metrics, shared with the other processes when PRICING_METRICS_DIR is set."""
    if settings.metrics_dir is not None:
        enable_multiprocess(settings.metrics_dir)
    return PrometheusMetrics(
        CollectorRegistry(), clock=clock, multiprocess_dir=settings.metrics_dir
    )
