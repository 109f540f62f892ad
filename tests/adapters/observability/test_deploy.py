"""deploy/: the alert rules and the dashboard are valid PromQL over metrics that exist."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from pricing_adapters.prometheus_metrics import PrometheusMetrics
from tests.adapters.observability.conftest import DEPLOY, NOW, run_promtool, samples
from tests.adapters.observability.test_metrics import exercise

ALERTS = DEPLOY / "prometheus" / "alerts.yml"
DASHBOARD = DEPLOY / "grafana" / "job-pricing.json"
# What PromQL spells that is not a metric: functions, operators, keywords.
PROMQL_WORDS = {
    "sum", "max", "min", "avg", "count", "rate", "increase", "irate", "topk", "bottomk",
    "histogram_quantile", "time", "absent", "vector", "and", "or", "unless", "on", "ignoring",
    "group_left", "group_right", "bool", "offset", "label_replace", "clamp_min", "scalar",
}  # fmt: skip


def metric_names(expr: str) -> set[str]:
    """The metric names an expression reads (label matchers, groupings and ranges removed)."""
    bare = re.sub(r'"[^"]*"', "", expr)
    bare = re.sub(r"\{[^}]*\}|\[[^\]]*\]", "", bare)
    bare = re.sub(r"\b(?:by|without|on|ignoring)\s*\([^)]*\)", "", bare)
    words = set(re.findall(r"\b[a-zA-Z_:][a-zA-Z0-9_:]*\b", bare))
    return {w for w in words if w not in PROMQL_WORDS and not re.fullmatch(r"\d+e\d*", w)}


def exposed_names() -> set[str]:
    """Every sample name the product exposes once each metric has a value."""
    from prometheus_client import CollectorRegistry

    from pricing_adapters.clock import FixedClock

    metrics = PrometheusMetrics(CollectorRegistry(), clock=FixedClock(NOW))
    exercise(metrics)
    metrics.track_market_data(lambda: {"oews-2025": NOW - timedelta(days=1)})
    return {name for name, _ in samples(metrics.exposition())}


def dashboard_targets() -> list[tuple[str, str]]:
    board = json.loads(DASHBOARD.read_text())
    return [
        (f"panel {panel['id']} {panel['title']!r}", target["expr"])
        for panel in board["panels"]
        for target in panel.get("targets", [])
    ]


def alert_rules() -> list[dict[str, Any]]:
    groups = yaml.safe_load(ALERTS.read_text())["groups"]
    return [rule for group in groups for rule in group["rules"]]


def test_the_alert_rules_pass_promtool(promtool: str) -> None:
    output = run_promtool(promtool, "check", "rules", str(ALERTS))
    assert "SUCCESS: 9 rules found" in output


def test_the_alerts_fire_when_they_should_and_only_then(promtool: str) -> None:
    run_promtool(promtool, "test", "rules", "alerts.test.yml", cwd=ALERTS.parent)


def test_the_example_configuration_passes_promtool(promtool: str) -> None:
    run_promtool(promtool, "check", "config", "prometheus.yml", cwd=ALERTS.parent)


def test_the_issue_s_alerts_are_all_there() -> None:
    names = {rule["alert"] for rule in alert_rules()}
    assert {
        "JobPricingHighErrorRate",
        "JobPricingHighLatencyP95",
        "JobPricingRateLimiterDegraded",
        "JobPricingMarketDataStale",
        "JobPricingNoRecentVerifiedBackup",
        "JobPricingBackupVerificationFailed",
        "JobPricingBackupRestoreTestFailed",
        "JobPricingInvalidBackups",
        "JobPricingDeadLetters",
    } <= names


def test_every_panel_query_is_valid_promql(promtool: str, tmp_path: Path) -> None:
    # promtool checks expressions inside rule files: each query becomes a recording rule.
    rules = [
        {"record": f"dashboard:query_{n}", "expr": expr.replace("$__rate_interval", "5m")}
        for n, (_, expr) in enumerate(dashboard_targets())
    ]
    path = tmp_path / "dashboard-rules.yml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}))
    run_promtool(promtool, "check", "rules", str(path))


def test_the_dashboard_and_the_alerts_read_only_metrics_that_exist() -> None:
    exposed = exposed_names()
    queries = dashboard_targets() + [(rule["alert"], rule["expr"]) for rule in alert_rules()]
    unknown = {where: metric_names(expr) - exposed for where, expr in queries}
    assert {where: names for where, names in unknown.items() if names} == {}


def test_the_dashboard_is_a_grafana_dashboard() -> None:
    board = json.loads(DASHBOARD.read_text())
    assert board["uid"] == "job-pricing"
    ids = [panel["id"] for panel in board["panels"]]
    assert len(ids) == len(set(ids))
    assert [v["name"] for v in board["templating"]["list"]] == ["datasource"]
    for panel in board["panels"]:
        for target in panel.get("targets", []):
            assert target["datasource"]["uid"] == "${datasource}"
    assert not [t for t in dashboard_targets() if "endpoint=~" in t[1] and "path" in t[1]]


@pytest.mark.parametrize(
    "metric",
    [
        "http_requests_total",
        "http_request_duration_seconds_bucket",
        "rate_limiter_degraded",
        "market_data_version_age_seconds",
        "backup_last_verification_timestamp_seconds",
        "db_query_duration_seconds_bucket",
        "worker_tasks_total",
        "pricing_quotes_total",
        "login_failures_total",
    ],
)
def test_the_dashboard_shows(metric: str) -> None:
    assert any(metric in expr for _, expr in dashboard_targets())
