"""The content checksum: the same cut rows from any file format, in any order, are the same
data; a store takes such an import as unchanged, even under the active version's label."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pricing_adapters.clock import FixedClock
from pricing_adapters.importers.bls_flat import open_bls_flat
from pricing_adapters.importers.content import ContentDigest, canonical_row
from pricing_adapters.importers.oews_sqlite import open_oews_sqlite
from pricing_adapters.importers.records import CutRow
from pricing_adapters.memory import InMemoryMarketRepository
from pricing_core.errors import InvalidRequest
from pricing_core.market.imports import ImportOutcome
from tests.contract.conftest import START

ROW = CutRow(
    job_code="15-1252",
    area_code="0041940",
    industry_code="000000",
    currency="USD",
    effective_date=date(2025, 5, 12),
    p10=Decimal("138420"),
    p25=Decimal("170000.50"),
    p50=None,
    p75=Decimal("1E+5"),
    p90=None,
    states="VVSVT",
    employment=12,
    incumbents=None,
    organizations=None,
    wage_rse=Decimal("1.20"),
)


def test_numbers_dates_and_gaps_have_one_written_form() -> None:
    as_stored = (
        "15-1252",
        "0041940",
        "000000",
        "USD",
        "2025-05-12",
        "138420.00",
        "170000.5",
        None,
        "100000",
        "",
        "VVSVT",
        "12",
        None,
        None,
        "1.2",
    )
    assert canonical_row(as_stored) == canonical_row(ROW)
    other = ROW._replace(p10=Decimal("138421"))
    assert canonical_row(other) != canonical_row(ROW)


@given(st.permutations(range(6)))
def test_the_order_of_the_rows_does_not_count(order: list[int]) -> None:
    rows = [ROW._replace(employment=n) for n in range(6)]
    assert ContentDigest.of(rows[n] for n in order) == ContentDigest.of(rows)


def test_a_repeated_or_missing_row_counts() -> None:
    rows = [ROW, ROW._replace(job_code="29-1141")]
    assert ContentDigest.of([*rows, ROW]) != ContentDigest.of(rows)
    assert ContentDigest.of(rows[:1]) != ContentDigest.of(rows)


def test_sqlite_and_flat_files_of_one_release_have_one_content_checksum(
    make_flat: Callable[..., Path], make_sqlite: Callable[..., Path]
) -> None:
    flat, sqlite = open_bls_flat(make_flat()), open_oews_sqlite(make_sqlite())
    assert flat.sha256 != sqlite.sha256
    assert ContentDigest.of(flat.rows) == ContentDigest.of(sqlite.rows)


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def loader(request: pytest.FixtureRequest) -> Iterator[Any]:
    if request.param == "memory":
        yield InMemoryMarketRepository(clock=FixedClock(START))
        return
    from pricing_adapters.sql.engine import make_engine
    from pricing_adapters.sql.loader import SqlMarketLoader
    from pricing_adapters.sql.market import SqlMarketRepository
    from pricing_adapters.sql.migrate import upgrade

    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")
    engine = make_engine(url)
    upgrade(engine)
    yield SqlMarketLoader(engine, FixedClock(START), SqlMarketRepository(engine))
    engine.dispose()


def test_the_same_release_in_another_format_is_unchanged_under_its_label(
    loader: Any, make_flat: Callable[..., Path], make_sqlite: Callable[..., Path]
) -> None:
    """What the BLS file the shipped extract came from meets: its label is taken by the
    version holding the same rows, from another file."""
    first = loader.load(open_oews_sqlite(make_sqlite()), imported_by="t")
    assert (first.outcome, first.version) == (ImportOutcome.LOADED, "2025A01")
    again = loader.load(open_bls_flat(make_flat()), imported_by="t")
    assert (again.outcome, again.version, again.rows) == (ImportOutcome.UNCHANGED, "2025A01", 0)
    relabelled = loader.load(open_bls_flat(make_flat("b"), label="other"), imported_by="t")
    assert relabelled.outcome is ImportOutcome.UNCHANGED
    assert [v.label for v, _ in loader.versions("oews-2025")] == ["2025A01"]


def test_other_rows_under_a_taken_label_are_still_refused(
    loader: Any, make_flat: Callable[..., Path], make_sqlite: Callable[..., Path]
) -> None:
    loader.load(open_oews_sqlite(make_sqlite()), imported_by="t")
    lines = (make_flat() / "oe.data.0.Current").read_text().replace("213110", "213111")
    folder = make_flat("changed")
    (folder / "oe.data.0.Current").write_text(lines)
    with pytest.raises(InvalidRequest) as caught:
        loader.load(open_bls_flat(folder), imported_by="t")
    assert caught.value.field == "label"
    assert [v.label for v, _ in loader.versions("oews-2025")] == ["2025A01"]


@pytest.mark.parametrize("url_fixture", ["sqlite_url", "postgres_url"])
def test_a_version_stored_without_a_content_checksum_gets_one_from_its_rows(
    request: pytest.FixtureRequest,
    url_fixture: str,
    make_flat: Callable[..., Path],
    make_sqlite: Callable[..., Path],
) -> None:
    """Versions loaded before revision 0005 have none: their stored rows give it, in the
    same written form as the rows of a file."""
    from sqlalchemy import select, update

    from pricing_adapters.sql.engine import make_engine
    from pricing_adapters.sql.loader import SqlMarketLoader
    from pricing_adapters.sql.market import SqlMarketRepository
    from pricing_adapters.sql.migrate import upgrade
    from pricing_adapters.sql.tables import market_versions

    engine = make_engine(request.getfixturevalue(url_fixture))
    upgrade(engine)
    loader = SqlMarketLoader(engine, FixedClock(START), SqlMarketRepository(engine))
    loader.load(open_oews_sqlite(make_sqlite()), imported_by="t")
    with engine.begin() as conn:
        known = conn.execute(select(market_versions.c.content_sha256)).scalar_one()
        conn.execute(update(market_versions).values(content_sha256=None))
    again = loader.load(open_bls_flat(make_flat()), imported_by="t")
    assert again.outcome is ImportOutcome.UNCHANGED
    with engine.connect() as conn:
        assert conn.execute(select(market_versions.c.content_sha256)).scalar_one() == known
    engine.dispose()
