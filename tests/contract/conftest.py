"""Stores for the contract suites: the same tests on memory, SQLite and PostgreSQL.

`store` builds an empty market store per test (a fresh SQLite file or PostgreSQL database);
`bundled` holds the shipped OEWS extract prepared once per session on all three backends.
Below the fixtures: a small release built from literal rows, for the store contract tests.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs
import pytest
from sqlalchemy import Engine, func, select

from pricing_adapters.bootstrap import Container, Ports, build_container
from pricing_adapters.clock import FixedClock
from pricing_adapters.importers.records import CutRow, ReleaseFile
from pricing_adapters.memory import InMemoryMarketRepository
from pricing_adapters.prepare import prepare
from pricing_adapters.settings import Settings
from pricing_adapters.sql.engine import make_engine
from pricing_adapters.sql.loader import SqlMarketLoader
from pricing_adapters.sql.market import SqlMarketRepository
from pricing_adapters.sql.migrate import upgrade
from pricing_adapters.sql.tables import market_cuts, market_jobs, market_versions
from pricing_core.market.imports import ProblemLog
from pricing_core.market.model import Area, Industry, Source, SourceKind
from pricing_core.market.ports import MarketReader
from pricing_core.pricing.model import Match, PricingRequest
from pricing_core.pricing.policy import PricingPolicy
from pricing_core.pricing.service import PriceJob
from tests.conftest import fresh_postgres_database
from tests.gear.clock import FakeClock

# Microseconds and a non-midnight time: both must survive the round trip.
START = datetime(2026, 1, 1, 12, 30, 15, 123456, tzinfo=UTC)


@attrs.define
class Store:
    """One backend: the reader pricing uses and the admin side that loads and activates."""

    kind: str
    reader: MarketReader
    admin: Any  # load / activate / versions / save_areas, the same on every backend
    clock: FakeClock
    engine: Engine | None = None

    def table_counts(self) -> dict[str, int] | None:
        """Rows in the versioned tables (SQL only; memory has no tables to count)."""
        if self.engine is None:
            return None
        with self.engine.connect() as conn:
            return {
                t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in (market_versions, market_cuts, market_jobs)
            }


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    """An empty, migrated store of each kind in turn."""
    clock = FakeClock(START, step=timedelta(minutes=1))
    if request.param == "memory":
        memory = InMemoryMarketRepository(clock=clock)
        yield Store(kind="memory", reader=memory, admin=memory, clock=clock)
        return
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")
    engine = make_engine(url)
    upgrade(engine)
    reader = SqlMarketRepository(engine)
    loader = SqlMarketLoader(engine, clock, reader)
    yield Store(kind=request.param, reader=reader, admin=loader, clock=clock, engine=engine)
    engine.dispose()


def _container(url: str, data_dir: str) -> Container:
    settings = Settings.from_env({"PRICING_DATA_DIR": data_dir, "PRICING_DATABASE_URL": url})
    return build_container(
        settings, ports=Ports(clock=FixedClock(datetime(2026, 1, 1, 12, tzinfo=UTC)))
    )


@pytest.fixture(scope="session")
def bundled_postgres_url(postgres_server: str) -> Iterator[str]:
    yield from fresh_postgres_database(postgres_server)


@pytest.fixture(scope="session")
def bundled(
    tmp_path_factory: pytest.TempPathFactory, bundled_postgres_url: str
) -> Iterator[dict[str, Container]]:
    """The shipped data prepared once on memory, a fresh SQLite file and an empty PG database."""
    data_dir = tmp_path_factory.mktemp("bundled")
    urls = {
        "memory": "memory://",
        "sqlite": f"sqlite:///{data_dir / 'pricing.db'}",
        "postgresql": bundled_postgres_url,
    }
    containers = {name: _container(url, str(data_dir)) for name, url in urls.items()}
    for container in containers.values():
        prepare(container)
    yield containers
    for container in containers.values():
        if container.engine is not None:
            container.engine.dispose()


# A small release from literal rows: the store contract suites import these.

NAME = "acme-2025"
SOURCE = Source(name=NAME, title="ACME", kind=SourceKind.PUBLIC, top_code=Decimal("239200"))
EFFECTIVE = date(2025, 5, 12)
AREAS = (
    Area(code="0000000", name="U.S.", kind="national"),
    Area(code="0600000", name="California", kind="state", parent="0000000"),
    Area(code="0041940", name="San Jose, CA", kind="metro", parent="0600000"),
)
INDUSTRIES = (
    Industry(code="000000", name="Cross-industry", level=0),
    Industry(code="541500", name="Computer Systems Design", level=4),
)
JOBS = {"00-0000": "All Occupations", "15-1252": "Software Developers", "29-1211": "Anesthetists"}
SWE_SJ = ("15-1252", "0041940", "000000")


def row(
    job: str, area: str, values: Sequence[str | None], states: str = "VVVVV", **facts: Any
) -> CutRow:
    p10, p25, p50, p75, p90 = (None if v is None else Decimal(v) for v in values)
    return CutRow(
        job_code=job,
        area_code=area,
        industry_code=facts.get("industry", "000000"),
        currency="USD",
        effective_date=EFFECTIVE,
        p10=p10,
        p25=p25,
        p50=p50,
        p75=p75,
        p90=p90,
        states=states,
        employment=facts.get("employment"),
        incumbents=None,
        organizations=facts.get("organizations"),
        wage_rse=facts.get("rse"),
    )


def rows(swe_p50: str = "213110") -> tuple[CutRow, ...]:
    return (
        row("00-0000", "0000000", ["30000", "40000", "50980", "80000", "110000"]),
        row(
            "15-1252",
            "0041940",
            ["138420", "173650.50", swe_p50, "226080.25", "289150"],
            employment=25000,
            rse=Decimal("1.25"),
        ),
        # P90 suppressed; the smallest and a large value with cents, on an industry cut.
        row(
            "15-1252",
            "0000000",
            ["0.01", "80000", "123456.78", "999999999999.99", None],
            "VVVVS",
            industry="541500",
            organizations=12,
        ),
        row("29-1211", "0041940", ["250000", "300000", None, None, None], "VVTTT"),  # top-coded
        row("27-2011", "0000000", [None] * 5, "HHHHH"),  # hourly only
    )


KEYS = [(r.job_code, r.area_code, r.industry_code) for r in rows()]


def release(
    label: str = "v1",
    cut_rows: Sequence[CutRow] | None = None,
    *,
    problems: Sequence[tuple[int, str, str, str]] = (),
    areas: Sequence[Area] = AREAS,
    source: Source = SOURCE,
) -> ReleaseFile:
    """A release from literal rows; its checksum covers the content, not the label."""
    cut_rows = rows() if cut_rows is None else tuple(cut_rows)
    log = ProblemLog()
    for problem in problems:
        log.add(*problem)
    sha = hashlib.sha256(repr((source.name, cut_rows, tuple(areas))).encode()).hexdigest()
    return ReleaseFile(
        source=source,
        label=label,
        sha256=sha,
        rows=iter(cut_rows),
        problems=log,
        total_bytes=1,
        areas=tuple(areas),
        industries=INDUSTRIES,
        jobs=dict(JOBS),
    )


def load(store: Any, *args: Any, **kwargs: Any) -> Any:
    return store.admin.load(release(*args, **kwargs), imported_by="tester")


def snapshot(store: Any) -> tuple[Any, ...]:
    cuts = [
        store.reader.cut(s.name, s.active_version, *k) for s in store.reader.sources() for k in KEYS
    ]
    areas = sorted(a.code for a in store.reader.areas())
    return store.reader.sources(), store.admin.versions(NAME), areas, cuts, store.table_counts()


def price(store: Any, job: str = "15-1252") -> Any:
    request = PricingRequest(
        matches=[Match(source=NAME, job_code=job)], area="0041940", pricing_date=EFFECTIVE
    )
    return PriceJob(market=store.reader)(request, PricingPolicy())
