"""`pricing db stats`: a deliberately slow statement on real PostgreSQL, as an operator sees it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from pricing_adapters.bootstrap import Container, build_container
from pricing_adapters.settings import Settings
from pricing_adapters.timing import save_stats, shape_id
from pricing_api.cli import cli

PROBE = "SELECT pg_sleep(0.15) AS db_stats_probe"
SHAPE = "SELECT pg_sleep(?) AS db_stats_probe"


@pytest.fixture
def services(tmp_path: Path, postgres_url: str) -> Iterator[Container]:
    settings = Settings.from_env(
        {
            "PRICING_DATA_DIR": str(tmp_path),
            "PRICING_DATABASE_URL": postgres_url,
            "PRICING_QUERY_STATS_DIR": str(tmp_path / "stats"),
        }
    )
    container = build_container(settings)
    yield container
    assert container.engine is not None
    container.engine.dispose()


def run(services: Container, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["db", "stats", *args], obj=services)
    return result.exit_code, result.output


@pytest.mark.integration
def test_the_slow_statement_is_listed_with_its_figures(services: Container) -> None:
    assert services.engine is not None
    code, output = run(services)
    assert code == 0
    assert "no statement figures yet" in output
    with services.engine.connect() as conn:
        conn.execute(text(PROBE))
    assert services.settings.query_stats_dir is not None
    # What a serving process does every 10 s:
    save_stats(services.timing, services.settings.query_stats_dir)

    code, output = run(services, "--json")
    assert code == 0
    rows = {row["shape"]: row for row in json.loads(output)["statements"]}
    probe = rows[SHAPE]
    assert probe["id"] == shape_id(SHAPE)
    assert probe["count"] == 1
    assert probe["max_ms"] >= 150
    assert probe["p95_ms"] == probe["max_ms"] == probe["mean_ms"]

    code, output = run(services)
    assert code == 0
    assert "Statements by shape" in output
    assert shape_id(SHAPE) in output
    assert "db_stats_probe" in output


def test_reset_forgets(services: Container) -> None:
    stats_dir = services.settings.query_stats_dir
    assert stats_dir is not None
    stats_dir.mkdir(parents=True)
    (stats_dir / "1.json").write_text('{"statements": {}, "operations": {}}')
    code, output = run(services, "--reset")
    assert code == 0
    assert "forgotten" in output
    assert list(stats_dir.glob("*.json")) == []  # the figures only: the folder may be shared
    assert json.loads(run(services, "--json")[1])["statements"] == []


@pytest.mark.integration
def test_a_priced_quote_is_a_timed_operation(services: Container) -> None:
    from pricing_adapters.prepare import prepare
    from pricing_api.quoting import Quote, price_quote
    from pricing_core.access.system import CLI_PRINCIPAL
    from pricing_core.pricing.model import Match

    prepare(services)
    quote = Quote(area="0041940", matches=[Match(source="oews-2025", job_code="15-1252")])
    price_quote(services, CLI_PRINCIPAL, quote)
    stats_dir = services.settings.query_stats_dir
    assert stats_dir is not None
    save_stats(services.timing, stats_dir)
    _, output = run(services, "--json")
    names = {row["shape"]: row["count"] for row in json.loads(output)["operations"]}
    assert names.get("price_quote", 0) >= 1
