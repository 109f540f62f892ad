"""The Prometheus adapter: what each call exposes, data age at scrape time, several processes."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry

from pricing_adapters.bootstrap import Ports, build_container
from pricing_adapters.clock import FixedClock
from pricing_adapters.prepare import prepare
from pricing_adapters.prometheus_metrics import PrometheusMetrics, market_import_times
from pricing_adapters.settings import Settings
from pricing_core.ports import Metrics
from tests.adapters.observability.conftest import NOW, run_promtool, samples, value


def exercise(metrics: PrometheusMetrics) -> None:
    """One call of everything, as the API, the limiter, pricing and the worker make them."""
    metrics.request_started()
    metrics.request_finished("GET", "/api/v1/auth/users/{user_id:str}", 200, 0.02)
    metrics.quote("high")
    metrics.quote("high")
    metrics.quote("low")
    metrics.rate_limit("allowed")
    metrics.rate_limit("limited")
    metrics.limiter_degraded(True)
    metrics.login_failed()
    metrics.task("market.refresh", "succeeded", 1.5)
    metrics.task("market.refresh", "failed", 0.5)
    metrics.backup_verified(True, NOW - timedelta(hours=3))
    metrics.backup_verified(False, NOW - timedelta(hours=1))
    metrics.backup_figures(2, False, 12.5)
    metrics.connections_active(3)
    metrics.query("0123456789", 0.004)
    metrics.operation("price", 0.01)


def test_the_backup_figures_are_the_last_check_s(metrics: PrometheusMetrics) -> None:
    metrics.backup_figures(3, True, 40.0)
    metrics.backup_figures(1, None, None)  # a check without a restore test keeps the last one
    shown = metrics.exposition()
    assert value(shown, "backups_invalid") == 1
    assert value(shown, "backup_restore_test_success") == 1
    assert value(shown, "backup_restore_test_duration_seconds") == 40.0


def test_the_port_is_what_use_cases_see(metrics: PrometheusMetrics) -> None:
    port: Metrics = metrics  # the adapter satisfies the core's Protocol
    port.quote("medium")
    assert value(metrics.exposition(), "pricing_quotes_total", confidence="medium") == 1


def test_each_call_shows_in_the_exposition(metrics: PrometheusMetrics) -> None:
    exercise(metrics)
    found = samples(metrics.exposition())
    route = {"method": "GET", "endpoint": "/api/v1/auth/users/{user_id:str}"}
    expected = {
        ("http_requests_total", frozenset({**route, "status_code": "200"}.items())): 1,
        ("http_request_duration_seconds_count", frozenset(route.items())): 1,
        ("http_requests_in_progress", frozenset()): 0,
        ("pricing_quotes_total", frozenset({"confidence": "high"}.items())): 2,
        ("pricing_quotes_total", frozenset({"confidence": "low"}.items())): 1,
        ("rate_limit_decisions_total", frozenset({"outcome": "limited"}.items())): 1,
        ("rate_limiter_degraded", frozenset()): 1,
        ("login_failures_total", frozenset()): 1,
        (
            "worker_tasks_total",
            frozenset({"task_name": "market.refresh", "status": "failed"}.items()),
        ): 1,
        (
            "worker_task_duration_seconds_count",
            frozenset({"task_name": "market.refresh"}.items()),
        ): 2,
        ("db_connections_active", frozenset()): 3,
        ("db_query_duration_seconds_count", frozenset({"shape": "0123456789"}.items())): 1,
        ("operation_duration_seconds_count", frozenset({"name": "price"}.items())): 1,
        (
            "backup_last_verification_timestamp_seconds",
            frozenset({"result": "success"}.items()),
        ): (NOW - timedelta(hours=3)).timestamp(),
        (
            "backup_last_verification_timestamp_seconds",
            frozenset({"result": "failure"}.items()),
        ): (NOW - timedelta(hours=1)).timestamp(),
    }
    assert {key: found.get(key) for key in expected} == expected
    assert not any(name.endswith("_created") for name, _ in found)


def test_the_limiter_recovers(metrics: PrometheusMetrics) -> None:
    metrics.limiter_degraded(True)
    metrics.limiter_degraded(False)
    assert value(metrics.exposition(), "rate_limiter_degraded") == 0


def test_label_values_are_cut_short(metrics: PrometheusMetrics) -> None:
    metrics.rate_limit("x" * 500)
    [(labels)] = [
        k[1] for k in samples(metrics.exposition()) if k[0] == "rate_limit_decisions_total"
    ]
    assert len(dict(labels)["outcome"]) == 48


def test_market_data_age_is_computed_at_scrape_time(metrics: PrometheusMetrics) -> None:
    times = {"oews-2025": NOW - timedelta(days=3)}
    metrics.track_market_data(lambda: times)
    age = value(metrics.exposition(), "market_data_version_age_seconds", source="oews-2025")
    assert age == 3 * 86400
    times["mercer-2025"] = NOW - timedelta(hours=1)
    assert (
        value(metrics.exposition(), "market_data_version_age_seconds", source="mercer-2025") == 3600
    )


def test_a_scrape_answers_when_the_data_versions_cannot_be_read(
    metrics: PrometheusMetrics,
) -> None:
    def unreadable() -> dict[str, object]:
        raise ConnectionError("database down")

    metrics.track_market_data(unreadable)  # type: ignore[arg-type]
    metrics.quote("low")
    exposition = metrics.exposition()
    assert value(exposition, "pricing_quotes_total", confidence="low") == 1
    assert not [k for k in samples(exposition) if k[0] == "market_data_version_age_seconds"]


def test_the_active_version_s_import_time_comes_through_the_ports(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {"PRICING_DATA_DIR": str(tmp_path), "PRICING_DATABASE_URL": "memory://"}
    )
    container = build_container(settings, ports=Ports(clock=FixedClock(NOW)))
    prepare(container)
    assert market_import_times(container.market, container.market_admin) == {"oews-2025": NOW}
    assert (
        value(container.metrics.exposition(), "market_data_version_age_seconds", source="oews-2025")
        == 0
    )


def test_the_exposition_passes_promtool(metrics: PrometheusMetrics, promtool: str) -> None:
    exercise(metrics)
    metrics.track_market_data(lambda: {"oews-2025": NOW - timedelta(days=1)})
    run_promtool(promtool, "check", "metrics", stdin=metrics.exposition())


CHILD = textwrap.dedent(
    """
    import sys
    from pricing_adapters.clock import SystemClock
    from pricing_adapters.prometheus_metrics import build_metrics
    from pricing_adapters.settings import Settings

    env = {"PRICING_DATA_DIR": sys.argv[1], "PRICING_METRICS_DIR": sys.argv[2]}
    metrics = build_metrics(Settings.from_env(env), SystemClock())
    for _ in range(int(sys.argv[3])):
        metrics.request_started()
        metrics.request_finished("GET", "/health", 200, 0.01)
    metrics.request_started()  # then the process dies while answering
    """
)


def child(tmp_path: Path, directory: Path, requests: int) -> None:
    subprocess.run(
        [sys.executable, "-c", CHILD, str(tmp_path), str(directory), str(requests)],
        check=True,
        timeout=60,
    )


def test_processes_add_up_and_a_dead_one_s_live_gauges_go(tmp_path: Path) -> None:
    directory = tmp_path / "metrics"
    child(tmp_path, directory, 3)
    scraper = PrometheusMetrics(
        CollectorRegistry(), clock=FixedClock(NOW), multiprocess_dir=directory
    )
    exposition = scraper.exposition()
    health = {"method": "GET", "endpoint": "/health", "status_code": "200"}
    assert value(exposition, "http_requests_total", **health) == 3
    assert value(exposition, "http_requests_in_progress") == 1  # its files are still there
    child(tmp_path, directory, 4)  # a new process sweeps the dead one's live gauges
    exposition = scraper.exposition()
    assert value(exposition, "http_requests_total", **health) == 7  # counters stay
    assert (
        value(exposition, "http_request_duration_seconds_count", method="GET", endpoint="/health")
        == 7
    )
    assert value(exposition, "http_requests_in_progress") == 1  # the second one's own


@pytest.mark.parametrize("variable", ["PRICING_METRICS_DIR", "PROMETHEUS_MULTIPROC_DIR"])
def test_either_variable_turns_multiprocess_mode_on(tmp_path: Path, variable: str) -> None:
    settings = Settings.from_env({"PRICING_DATA_DIR": str(tmp_path), variable: str(tmp_path / "m")})
    assert settings.metrics_dir == tmp_path / "m"
