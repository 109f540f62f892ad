"""The market store contract: memory, SQLite and PostgreSQL load and serve a release alike.

Each test runs on every store (`store` in conftest.py); the release is built from literal
rows, and the in-memory store is the reference the SQL stores must match.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from pricing_adapters.memory import InMemoryMarketRepository
from pricing_core.market.imports import ImportOutcome, RowProblem
from pricing_core.market.model import (
    Area,
    MissingReason,
    Percentile,
    PercentileKind,
    Source,
)
from tests.contract.conftest import (
    AREAS,
    EFFECTIVE,
    INDUSTRIES,
    JOBS,
    KEYS,
    NAME,
    SOURCE,
    SWE_SJ,
    load,
    release,
    rows,
    snapshot,
)


def test_an_empty_store_knows_nothing(store: Any) -> None:
    reader = store.reader
    assert (reader.sources(), reader.areas(), reader.jobs(NAME)) == ([], [], [])
    assert reader.source(NAME) is None
    assert reader.area("0000000") is None
    assert reader.industry("000000") is None
    assert store.admin.versions(NAME) == []
    assert reader.cut(NAME, "v1", *SWE_SJ) is None
    if store.table_counts() is not None:
        assert set(store.table_counts().values()) == {0}


def test_a_loaded_release_is_served_exactly_as_the_memory_store_serves_it(store: Any) -> None:
    report = load(store)
    assert (report.outcome, report.rows, report.version) == (ImportOutcome.LOADED, 5, "v1")
    assert report.sha256 == release().sha256
    assert report.problems == ()
    assert store.reader.source(NAME) == Source(
        name=NAME, title="ACME", kind="public", top_code=Decimal(239200), active_version="v1"
    )
    reference = InMemoryMarketRepository(clock=store.clock)
    reference.load(release(), imported_by="tester")
    for key in KEYS:
        assert store.reader.cut(NAME, "v1", *key) == reference.cut(NAME, "v1", *key), key
    swe = store.reader.cut(NAME, "v1", *SWE_SJ)
    assert swe.percentiles[50] == Percentile.of("213110")
    assert swe.wage_rse == Decimal("1.25")
    assert (swe.employment, swe.effective_date, swe.currency) == (25000, EFFECTIVE, "USD")
    coded = store.reader.cut(NAME, "v1", "29-1211", "0041940", "000000").percentiles
    assert [coded[p].kind for p in (25, 50, 90)] == [PercentileKind.VALUE] + [
        PercentileKind.LOWER_BOUND
    ] * 2
    industry_cut = store.reader.cut(NAME, "v1", "15-1252", "0000000", "541500")
    assert industry_cut.percentiles[90] == Percentile.missing(MissingReason.SUPPRESSED)
    assert industry_cut.organizations == 12
    hourly = store.reader.cut(NAME, "v1", "27-2011", "0000000", "000000").percentiles[50]
    assert hourly.reason is MissingReason.HOURLY_ONLY
    assert store.reader.cut(NAME, "v1", "15-1252", "0000000", "000000") is None
    assert list(store.reader.jobs(NAME)) == sorted(JOBS.items())
    assert sorted(store.reader.areas(), key=lambda a: a.code) == sorted(AREAS, key=lambda a: a.code)
    assert store.reader.area("0041940").parent == "0600000"
    assert store.reader.industry("541500") == INDUSTRIES[1]


def test_decimal_values_survive_exactly(store: Any) -> None:
    load(store)
    cut = store.reader.cut(NAME, "v1", "15-1252", "0000000", "541500")
    values = [str(cut.percentiles[p].value) for p in (10, 50, 75)]
    assert values == ["0.01", "123456.78", "999999999999.99"]
    assert str(store.reader.cut(NAME, "v1", *SWE_SJ).percentiles[75].value) == "226080.25"
    if store.engine is not None:  # stored as text or NUMERIC, never through a float
        kind = "typeof(p50)" if store.kind == "sqlite" else "pg_typeof(p50)::text"
        query = f"SELECT DISTINCT {kind} FROM market_cuts WHERE p50 IS NOT NULL"
        with store.engine.connect() as conn:
            kinds = set(conn.exec_driver_sql(query).scalars())
        assert kinds == ({"text"} if store.kind == "sqlite" else {"numeric"})


def test_a_value_with_more_than_cents_is_served_alike_by_every_backend(store: Any) -> None:
    load(store, cut_rows=rows(swe_p50="213110.125"))
    assert store.reader.cut(NAME, "v1", *SWE_SJ).percentiles[50].value == Decimal("213110.125")


@pytest.mark.parametrize("kind", ["problems", "no rows"])
@pytest.mark.parametrize("source", [SOURCE, Source(name="new-2025", title="New")])
def test_a_rejected_release_changes_nothing(store: Any, kind: str, source: Source) -> None:
    load(store)
    before = snapshot(store)
    extra = (*AREAS, Area(code="SG", name="Singapore", kind="national"))
    problems = [(7, "p50", "abc", "not a number")] if kind == "problems" else []
    cut_rows = rows(swe_p50="1") if kind == "problems" else []
    report = store.admin.load(
        release("bad", cut_rows, problems=problems, areas=extra, source=source), imported_by="t"
    )
    assert (report.outcome, report.rows) == (ImportOutcome.REJECTED, 0)
    expected = RowProblem(line=7, column="p50", value="abc", reason="not a number")
    if kind == "problems":
        assert (report.problems, report.problem_count) == ((expected,), 1)
    else:
        assert report.problem_count == 1
        assert "no data rows" in report.problems[0].reason
    assert snapshot(store) == before
    assert store.reader.cut(source.name, "bad", *SWE_SJ) is None
    assert store.reader.area("SG") is None
    assert "bad" not in [v.label for v, _ in store.admin.versions(source.name)]


def test_saved_areas_join_the_tree(store: Any) -> None:
    singapore = Area(code="SG", name="Singapore", kind="national")
    store.admin.save_areas(
        [singapore, Area(code="SG-01", name="Central", kind="state", parent="SG")]
    )
    assert store.reader.area("SG-01") == Area(
        code="SG-01", name="Central", kind="state", parent="SG"
    )
    store.admin.save_areas([Area(code="SG-01", name="Central Region", kind="state", parent="SG")])
    assert store.reader.area("SG-01").name == "Central Region"
    assert {a.code for a in store.reader.areas()} == {"SG", "SG-01"}
