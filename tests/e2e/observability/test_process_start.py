"""A process starts its logs, error reporting and figures' flusher once, explicitly."""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path

import sentry_sdk

from pricing_adapters.bootstrap import build_container
from pricing_adapters.process import start_process
from pricing_api.http.app import create_app
from tests.e2e.observability.conftest import settings_for


def test_building_a_container_and_an_app_starts_nothing(tmp_path: Path) -> None:
    settings = settings_for(
        tmp_path,
        PRICING_DATABASE_URL=f"sqlite:///{tmp_path / 'p.db'}",
        PRICING_SENTRY_DSN="https://public@sentry.invalid/1",
    )
    root = logging.getLogger()
    handlers, threads = list(root.handlers), {t.name for t in threading.enumerate()}
    container = build_container(settings)
    create_app(container)
    assert root.handlers == handlers  # no logging configured
    assert not sentry_sdk.get_client().is_active()  # no error reporting
    assert {t.name for t in threading.enumerate()} - threads == set()  # no flusher
    assert container.engine is not None
    container.engine.dispose()


def test_a_started_process_writes_its_figures_where_db_stats_reads_them(tmp_path: Path) -> None:
    stats = tmp_path / "stats"
    settings = settings_for(
        tmp_path,
        PRICING_DATABASE_URL=f"sqlite:///{tmp_path / 'p.db'}",
        PRICING_QUERY_STATS_DIR=str(stats),
    )
    container = build_container(settings)
    with container.timing.timed("probe"):
        pass
    process = start_process(settings, timing=container.timing, logs=False)
    assert process.flusher is not None
    process.stop()  # as at exit
    [saved] = stats.glob("*.json")
    assert "probe" in {
        entry["shape"] for entry in json.loads(saved.read_text())["operations"].values()
    }
    assert container.engine is not None
    container.engine.dispose()


def test_a_memory_process_keeps_no_figures_files(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    process = start_process(settings, timing=build_container(settings).timing, logs=False)
    assert process.flusher is None
    assert not process.reporting  # no PRICING_SENTRY_DSN
