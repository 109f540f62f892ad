"""Gear for the observability adapters: promtool, metrics on a fresh registry, parsed samples."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from prometheus_client import CollectorRegistry
from prometheus_client.parser import text_string_to_metric_families

from pricing_adapters.clock import FixedClock
from pricing_adapters.prometheus_metrics import PrometheusMetrics

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
DEPLOY = Path(__file__).resolve().parents[3] / "deploy"


def samples(exposition: bytes | str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of a text exposition: (name, labels) → value."""
    text = exposition.decode() if isinstance(exposition, bytes) else exposition
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(exposition: bytes | str, metric: str, **labels: str) -> float | None:
    return samples(exposition).get((metric, frozenset(labels.items())))


@pytest.fixture
def metrics() -> PrometheusMetrics:
    return PrometheusMetrics(CollectorRegistry(), clock=FixedClock(NOW))


@pytest.fixture(scope="session")
def promtool() -> str:
    """The promtool binary (Debian's `prometheus` package; .ci/run installs it)."""
    found = shutil.which("promtool")
    if found is None:
        pytest.skip("promtool not found: apt-get install prometheus (.ci/run does)")
    return found


def run_promtool(promtool: str, *args: str, stdin: bytes | None = None, cwd: Any = None) -> str:
    """Run promtool; a failure shows everything it printed."""
    done = subprocess.run(
        [promtool, *args], input=stdin, capture_output=True, timeout=60, cwd=cwd, check=False
    )
    output = (done.stdout + done.stderr).decode()
    assert done.returncode == 0, output
    return output
