"""Imports are atomic: a paused import is invisible, a killed one leaves no trace.

Readers use their own engine (another client, as another process would); on SQLite, WAL mode
is what lets them read while the import writes.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Engine, text

from pricing_adapters.clock import FixedClock
from pricing_adapters.importers.records import CutRow, ReleaseFile
from pricing_adapters.sql.engine import make_engine
from pricing_adapters.sql.loader import SqlMarketLoader
from pricing_adapters.sql.market import SqlMarketRepository
from pricing_adapters.sql.migrate import upgrade
from pricing_core.errors import UnknownArea
from pricing_core.market.imports import ImportOutcome, ProblemLog
from pricing_core.market.model import Area, Source
from pricing_core.pricing.model import Match, PricingRequest
from pricing_core.pricing.policy import PricingPolicy
from pricing_core.pricing.service import PriceJob

NAME = "generated"
NATIONAL = Area(code="0000000", name="U.S.", kind="national")
NEW_METRO = Area(code="0099999", name="Newtown, ZZ", kind="metro", parent="0000000")
EFFECTIVE = date(2025, 5, 12)
MARK = 20_000  # the crashing import reports once this many rows went to the database
BIG = 30_000


def job(i: int) -> str:
    return f"G-{i:07d}"


def generated_release(
    label: str,
    count: int,
    base: int,
    *,
    area: Area = NATIONAL,
    at_row: tuple[int, Callable[[], object]] | None = None,
) -> ReleaseFile:
    """`count` cuts with P50 = base + i; `at_row=(n, call)` calls before the n-th row (from 0)."""

    def rows() -> Iterator[CutRow]:
        for i in range(count):
            if at_row is not None and i == at_row[0]:
                at_row[1]()
            value = Decimal(base + i)
            yield CutRow(
                job(i),
                area.code,
                "000000",
                "USD",
                EFFECTIVE,
                value,
                value,
                value,
                value,
                value,
                "VVVVV",
                100,
                None,
                None,
                None,
            )

    sha = hashlib.sha256(f"{label} {count} {base} {area.code}".encode()).hexdigest()
    return ReleaseFile(
        source=Source(name=NAME, title="Generated"),
        label=label,
        sha256=sha,
        rows=rows(),
        problems=ProblemLog(),
        total_bytes=count,
        areas=(NATIONAL, area),
        jobs={job(0): "First job"},
    )


def loader_on(url: str) -> tuple[Engine, SqlMarketLoader]:
    engine = make_engine(url)
    upgrade(engine)
    clock = FixedClock(datetime(2026, 1, 1, tzinfo=UTC))
    return engine, SqlMarketLoader(engine, clock, SqlMarketRepository(engine))


def p50(reader: SqlMarketRepository, version: str, i: int = 0, area: str = "0000000") -> object:
    cut = reader.cut(NAME, version, job(i), area, "000000")
    return None if cut is None else cut.percentiles[50].value


def active(reader: SqlMarketRepository) -> str | None:
    """The active version of the test's source, None while it has none."""
    source = reader.source(NAME)
    return None if source is None else source.active_version


def scalar(engine: Engine, sql: str) -> object:
    with engine.connect() as conn:
        return conn.execute(text(sql)).scalar_one()


COPYING = (
    "SELECT count(*) FROM pg_stat_activity"
    " WHERE datname = current_database() AND query LIKE 'COPY market_cuts%'"
)
ORPHANS = (
    "SELECT count(*) FROM market_cuts WHERE version_id NOT IN (SELECT id FROM market_versions)"
)


def test_readers_never_see_a_half_loaded_version(database_url: str) -> None:
    engine, loader = loader_on(database_url)
    assert loader.load(generated_release("v1", 10, 40_000), imported_by="t").rows == 10
    observer_engine = make_engine(database_url)
    observer = SqlMarketRepository(observer_engine)
    paused, gate = threading.Event(), threading.Event()

    def pause() -> None:
        """Past the first 5,000-row batch: rows of v2 are written but not committed."""
        paused.set()
        gate.wait(60)

    release = generated_release("v2", 12_000, 90_000, at_row=(6_000, pause))
    with ThreadPoolExecutor(1) as pool:
        future = pool.submit(loader.load, release, imported_by="t")
        try:
            assert paused.wait(30)
            assert active(observer) == "v1"
            assert [(v.label, active) for v, active in observer.versions(NAME)] == [("v1", True)]
            assert p50(observer, "v2") is None
            assert p50(observer, "v2", 10) is None
            assert p50(observer, "v1") == Decimal(40_000)
            assert scalar(observer_engine, "SELECT count(*) FROM market_cuts") == 10
            if observer_engine.dialect.name == "postgresql":  # the import is mid-COPY right now
                assert scalar(observer_engine, COPYING) == 1
        finally:
            gate.set()
        report = future.result(timeout=60)
    assert (report.outcome, report.rows) == (ImportOutcome.LOADED, 12_000)
    assert active(observer) == "v2"
    assert (p50(observer, "v2"), p50(observer, "v2", 11_999)) == (Decimal(90_000), Decimal(101_999))
    assert [(v.label, a) for v, a in observer.versions(NAME)] == [("v2", True), ("v1", False)]
    observer_engine.dispose()
    engine.dispose()


STALE_AREAS = (
    "BUG: SqlMarketRepository caches areas and industries until forget(), which only the loader "
    "sharing that instance calls: another process sees the new version active but not its areas"
)


def test_a_reader_elsewhere_sees_the_areas_a_new_version_brings(database_url: str) -> None:
    _engine, loader = loader_on(database_url)
    loader.load(generated_release("v1", 10, 40_000), imported_by="t")
    observer = SqlMarketRepository(make_engine(database_url))
    assert observer.area("0000000") == NATIONAL  # the running server has read the tree
    loader.load(generated_release("v2", 10, 60_000, area=NEW_METRO), imported_by="t")
    assert active(observer) == "v2"
    assert p50(observer, "v2", 0, NEW_METRO.code) == Decimal(60_000)  # its cuts are visible
    match = Match(source=NAME, job_code=job(0))
    request = PricingRequest(matches=[match], area=NEW_METRO.code, pricing_date=EFFECTIVE)
    try:
        result = PriceJob(market=observer)(request, PricingPolicy())
    except UnknownArea:
        result = None
    assert result is not None
    assert result.market[50] == Decimal(60_000)


CRASHING_IMPORT = """
import importlib.util, sys, time
from pricing_adapters.clock import SystemClock
from pricing_adapters.sql.engine import make_engine
from pricing_adapters.sql.loader import SqlMarketLoader
from pricing_adapters.sql.market import SqlMarketRepository

spec = importlib.util.spec_from_file_location("atomicity", sys.argv[2])
tests = importlib.util.module_from_spec(spec)
spec.loader.exec_module(tests)

def written():
    print("rows written", tests.MARK, flush=True)
    time.sleep(600)  # killed here, mid-transaction

engine = make_engine(sys.argv[1])
loader = SqlMarketLoader(engine, SystemClock(), SqlMarketRepository(engine))
loader.load(tests.generated_release("big", tests.BIG, 90000, at_row=(tests.MARK, written)),
            imported_by="crash")
print("finished", flush=True)
"""


def test_an_import_killed_half_way_leaves_no_trace(database_url: str, tmp_path: Path) -> None:
    engine, loader = loader_on(database_url)
    assert loader.load(generated_release("small", 10, 40_000), imported_by="t").rows == 10
    wal = Path(f"{engine.url.database}-wal")
    wal_before = wal.stat().st_size if engine.dialect.name == "sqlite" else 0
    script = tmp_path / "crashing_import.py"
    script.write_text(CRASHING_IMPORT)
    process = subprocess.Popen(
        [sys.executable, str(script), database_url, __file__],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert process.stderr is not None
        assert line.strip() == f"rows written {MARK}", line or process.stderr.read()
        if engine.dialect.name == "postgresql":
            assert scalar(engine, COPYING) == 1  # the import is mid-COPY
        else:  # uncommitted pages of the import are in the write-ahead log
            assert wal.stat().st_size > wal_before
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.kill()
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    if engine.dialect.name == "postgresql":  # the server notices the dead client and rolls back
        deadline = time.monotonic() + 20
        while scalar(engine, COPYING) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert scalar(engine, COPYING) == 0
    else:
        assert scalar(engine, "PRAGMA integrity_check") == "ok"
    reader = SqlMarketRepository(make_engine(database_url))
    assert active(reader) == "small"
    assert [(v.label, a) for v, a in reader.versions(NAME)] == [("small", True)]
    assert (p50(reader, "small", 9), p50(reader, "big")) == (Decimal(40_009), None)
    assert scalar(engine, ORPHANS) == 0
    assert scalar(engine, "SELECT count(*) FROM market_cuts") == 10
    again = loader.load(generated_release("big", BIG, 90_000), imported_by="t")
    assert (again.outcome, again.rows) == (ImportOutcome.LOADED, BIG)
    assert active(reader) == "big"
    assert p50(reader, "big", BIG - 1) == Decimal(90_000 + BIG - 1)
    assert [v.label for v, _ in reader.versions(NAME)] == ["big", "small"]
    engine.dispose()
