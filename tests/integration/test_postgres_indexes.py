"""The cut lookup is an index scan on PostgreSQL, proved by the planner on the shipped data.

The statement is captured from the repository itself while it answers a lookup, then run
under `EXPLAIN (FORMAT JSON)` with the same parameters after ANALYZE.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, event

from pricing_adapters.sql.market import SqlMarketRepository

LOOKUPS = [
    ("15-1252", "0041940", "000000"),  # a metro cut
    ("15-1252", "0000000", "541500"),  # an industry cut
    ("15-1252", "0041940", "541500"),  # no such cut: the miss before an industry fallback
]


def plan_nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("Plans", []):
        yield from plan_nodes(child)


@pytest.fixture(scope="module")
def engine(bundled_postgres: Any) -> Engine:
    engine: Engine = bundled_postgres.container.engine
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    return engine


def captured_cut_query(engine: Engine, key: tuple[str, str, str]) -> tuple[str, Any, bool]:
    """The SQL and parameters SqlMarketRepository.cut sends for `key`, and whether it found one."""
    seen: list[tuple[str, Any]] = []

    def record(_c: Any, _cur: Any, statement: str, parameters: Any, _ctx: Any, _many: Any) -> None:
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        found = SqlMarketRepository(engine).cut("oews-2025", "2025A01", *key)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    ((statement, parameters),) = [s for s in seen if "FROM market_cuts" in s[0]]
    return statement, parameters, found is not None


def test_the_cuts_table_is_big_enough_for_the_plan_to_matter(engine: Engine) -> None:
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM market_cuts").scalar_one() == 370172


@pytest.mark.parametrize("key", LOOKUPS)
def test_a_cut_lookup_uses_the_primary_key_index(engine: Engine, key: tuple[str, str, str]) -> None:
    statement, parameters, found = captured_cut_query(engine, key)
    assert found is (key != LOOKUPS[-1])
    with engine.connect() as conn:
        (explained,) = conn.exec_driver_sql(
            f"EXPLAIN (FORMAT JSON) {statement}", parameters
        ).scalar_one()
    nodes = list(plan_nodes(explained["Plan"]))
    on_cuts = [n for n in nodes if n.get("Relation Name") == "market_cuts"]
    assert on_cuts, nodes
    assert all(n["Node Type"] in {"Index Scan", "Index Only Scan"} for n in on_cuts), nodes
    assert {n["Index Name"] for n in on_cuts} == {"pk_market_cuts"}
    assert not [n for n in nodes if n["Node Type"] == "Seq Scan"], nodes
    # All four key columns are index conditions, not a filter applied after the scan.
    (scan,) = on_cuts
    assert "Filter" not in scan
    for column in ("version_id", "job_code", "area_code", "industry_code"):
        assert column in scan["Index Cond"], scan["Index Cond"]
