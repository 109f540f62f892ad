"""Statement timing: shapes, bounded figures, and slow statements explained on real PostgreSQL."""

from __future__ import annotations

import logging
import random
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from pricing_adapters.prometheus_metrics import PrometheusMetrics
from pricing_adapters.sql.timer import QueryTimer
from pricing_adapters.timing import QueryStats, Timing, load_stats, merge, normalise, shape_id
from pricing_adapters.timing.stats import OTHER, RESERVOIR
from tests.adapters.observability.conftest import value

TIMING_LOG = "pricing_adapters.sql.explain"


@pytest.mark.parametrize(
    ("statement", "shape"),
    [
        ("SELECT pg_sleep(0.15)", "SELECT pg_sleep(?)"),
        (
            "select * from t where a = 'O''Brien' and b = 42",
            "select * from t where a = ? and b = ?",
        ),
        (
            "SELECT x FROM t WHERE id IN (%(id_1_1)s, %(id_1_2)s, %(id_1_3)s)",
            "SELECT x FROM t WHERE id IN (?)",
        ),
        ("INSERT INTO t (a, b) VALUES (?, ?), (?, ?), (?, ?)", "INSERT INTO t (a, b) VALUES (?)"),
        ("SELECT $1::text, :name, %s", "SELECT ?::text, ?, ?"),
        ("SELECT 1 -- why\n  /* a note */  FROM   t1", "SELECT ? FROM t1"),
        ('SELECT "p10", users.col_2 FROM users', 'SELECT "p10", users.col_2 FROM users'),
    ],
)
def test_a_shape_has_no_literal_or_parameter(statement: str, shape: str) -> None:
    assert normalise(statement) == shape


def test_statements_differing_only_in_values_share_one_shape() -> None:
    stats = QueryStats()
    first = stats.record("SELECT * FROM t WHERE id IN (1, 2) AND name = 'a'", 0.001)
    second = stats.record("SELECT * FROM t WHERE id IN (3, 4, 5, 6) AND name = 'bb'", 0.003)
    assert first == second == shape_id("SELECT * FROM t WHERE id IN (?) AND name = ?")
    assert len(first) == 10
    [row] = stats.rows()
    assert (row.count, row.max) == (2, 0.003)
    assert row.mean == pytest.approx(0.002)


def test_figures_stay_bounded_however_many_runs_and_shapes() -> None:
    stats = QueryStats(max_shapes=3, rng=random.Random(11))  # a repeatable reservoir
    for i in range(5000):
        stats.record("SELECT a FROM t WHERE b = 1", (i % 100) / 1000)
    for table in ("u", "v", "w", "x"):
        stats.record(f"SELECT a FROM {table}", 0.5)
    snapshot = stats.snapshot()
    assert len(snapshot) == 3 + 1  # three shapes, then `other`
    assert all(len(entry["samples"]) <= RESERVOIR for entry in snapshot.values())
    rows = {row.id: row for row in stats.rows()}
    assert rows[OTHER].count == 2  # past the third shape, new shapes share one entry
    busiest = rows[shape_id("SELECT a FROM t WHERE b = ?")]
    assert busiest.count == 5000
    assert busiest.max == pytest.approx(0.099)
    assert 0.085 <= busiest.p95 <= 0.099  # from the reservoir: close to the true 0.095


def test_merged_processes_weigh_their_samples_by_their_counts() -> None:
    busy, idle = QueryStats(), QueryStats()
    for _ in range(1000):
        busy.record("SELECT 1", 0.001)
    for _ in range(10):
        idle.record("SELECT 1", 1.0)
    [row] = merge([busy.snapshot(), idle.snapshot()])
    assert row.count == 1010
    assert row.max == 1.0
    assert row.p95 == 0.001  # 10 slow runs of 1010 are under 5 %


def test_timed_records_blocks_and_calls(metrics: PrometheusMetrics) -> None:
    timing = Timing(observer=metrics)

    @timing.timed("price-one")
    def price(x: int) -> int:
        return x * 2

    assert price(21) == 42
    with timing.timed("price-one"):
        pass
    [row] = timing.operations.rows()
    assert (row.shape, row.count) == ("price-one", 2)
    count = value(metrics.exposition(), "operation_duration_seconds_count", name="price-one")
    assert count == 2


def timer_on(engine: Any, metrics: PrometheusMetrics, slow_ms: float = 100) -> QueryTimer:
    return QueryTimer(
        engine, slow_seconds=slow_ms / 1000, stats=QueryStats(), observer=metrics
    ).install()


def slow_records(caplog: pytest.LogCaptureFixture) -> list[Any]:
    return [r for r in caplog.records if r.name == TIMING_LOG and r.getMessage() == "slow query"]


@pytest.mark.integration
def test_a_slow_statement_is_logged_with_its_plan_and_counted(
    pg_engine: Any, metrics: PrometheusMetrics, caplog: pytest.LogCaptureFixture
) -> None:
    timer = timer_on(pg_engine, metrics)
    with caplog.at_level(logging.WARNING, logger=TIMING_LOG), pg_engine.connect() as conn:
        conn.execute(text("SELECT 1"))
        conn.execute(text("SELECT pg_sleep(0.15)"))
    rows = {row.shape: row for row in timer.stats.rows()}
    slow = rows["SELECT pg_sleep(?)"]
    assert slow.count == 1
    assert slow.max >= 0.15
    assert rows["SELECT ?"].max < 0.1
    [record] = slow_records(caplog)  # the quick one is not logged
    assert record.shape_id == slow.id
    assert record.duration_ms >= 150
    assert record.statement == "SELECT pg_sleep(0.15)"
    assert record.plan.startswith("Result")  # PostgreSQL's EXPLAIN of that statement
    exposition = metrics.exposition()
    assert value(exposition, "db_query_duration_seconds_count", shape=slow.id) == 1
    assert value(exposition, "db_query_duration_seconds_bucket", shape=slow.id, le="0.1") == 0


@pytest.mark.integration
def test_the_plan_uses_the_statement_s_own_parameters(
    pg_engine: Any, metrics: PrometheusMetrics, caplog: pytest.LogCaptureFixture
) -> None:
    timer_on(pg_engine, metrics)
    with caplog.at_level(logging.WARNING, logger=TIMING_LOG), pg_engine.connect() as conn:
        conn.execute(text("SELECT pg_sleep(:pause), :label"), {"pause": 0.12, "label": "x"})
    [record] = slow_records(caplog)
    assert record.plan.startswith("Result"), record.plan


@pytest.mark.integration
def test_a_slow_write_is_explained_without_running_it_again(
    pg_engine: Any, metrics: PrometheusMetrics, caplog: pytest.LogCaptureFixture
) -> None:
    with pg_engine.begin() as conn:
        conn.execute(text("CREATE TABLE slow_writes (n integer)"))
    timer_on(pg_engine, metrics)
    with caplog.at_level(logging.WARNING, logger=TIMING_LOG), pg_engine.begin() as conn:
        conn.execute(text("INSERT INTO slow_writes SELECT 1 FROM pg_sleep(0.12)"))
    with pg_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM slow_writes")).scalar() == 1
    [record] = slow_records(caplog)
    assert "Insert on slow_writes" in record.plan
    assert "actual time" not in record.plan  # EXPLAIN, never EXPLAIN ANALYZE


@pytest.mark.integration
def test_a_failed_statement_leaves_timing_intact(
    pg_engine: Any, metrics: PrometheusMetrics
) -> None:
    timer = timer_on(pg_engine, metrics)
    with pg_engine.connect() as conn:
        with pytest.raises(Exception, match="no_such_table"):
            conn.execute(text("SELECT * FROM no_such_table"))
        conn.rollback()
        conn.execute(text("SELECT 2"))
    shapes = {row.shape: row.count for row in timer.stats.rows()}
    assert shapes["SELECT ?"] == 1
    assert "SELECT * FROM no_such_table" not in shapes


@pytest.mark.integration
def test_checked_out_connections_are_a_gauge(pg_engine: Any, metrics: PrometheusMetrics) -> None:
    timer_on(pg_engine, metrics)
    with pg_engine.connect() as first, pg_engine.connect() as second:
        first.execute(text("SELECT 1"))
        second.execute(text("SELECT 1"))
        assert value(metrics.exposition(), "db_connections_active") == 2
    assert value(metrics.exposition(), "db_connections_active") == 0


def test_on_sqlite_a_slow_statement_is_logged_without_a_plan(
    sqlite_url: str, metrics: PrometheusMetrics, caplog: pytest.LogCaptureFixture
) -> None:
    from pricing_adapters.sql.engine import make_engine

    engine = make_engine(sqlite_url)
    timer_on(engine, metrics, slow_ms=0)  # every statement counts as slow
    with caplog.at_level(logging.WARNING, logger=TIMING_LOG), engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    engine.dispose()
    [record] = [r for r in slow_records(caplog) if r.statement == "SELECT 1"]
    assert record.plan is None


def test_saved_figures_of_several_processes_read_back_merged(tmp_path: Path) -> None:
    first, second = QueryStats(), QueryStats()
    first.record("SELECT a FROM t WHERE b = 1", 0.2)
    second.record("SELECT a FROM t WHERE b = 2", 0.4)
    for n, stats in enumerate((first, second)):
        payload = {"statements": stats.snapshot(), "operations": {}}
        (tmp_path / f"{n}.json").write_text(__import__("json").dumps(payload))
    (tmp_path / "broken.json").write_text("{not json")
    statements, operations = load_stats(tmp_path)
    [row] = statements
    assert (row.count, row.max) == (2, 0.4)
    assert row.total == pytest.approx(0.6)
    assert operations == []
    assert load_stats(tmp_path / "missing") == ([], [])
