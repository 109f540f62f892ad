"""First use of a database: migrate it, then load the shipped OEWS extract if it has no data."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, text

from pricing_adapters.bootstrap import Container
from pricing_adapters.bundled import load_oews_extract
from pricing_adapters.importers.bundled import bundled_fingerprint, bundled_rows, open_bundled
from pricing_adapters.importers.content import ContentDigest
from pricing_adapters.memory import InMemoryMarketRepository
from pricing_adapters.sql.migrate import migrating, upgrade
from pricing_core.market.imports import ImportReport
from pricing_core.market.model import SourceVersion

__all__ = ["prepare"]

BUNDLED_BY = "bundled"
PREPARE_LOCK = 0x70726963  # "pric": any constant this product alone uses


def _seed_memory(memory: InMemoryMarketRepository) -> None:
    # The in-memory store keeps the extract's rows as text and parses a cut when asked:
    # far cheaper than turning 370,000 rows into objects up front.
    extract = load_oews_extract()
    memory.add_areas(extract.areas)
    memory.add_industries(extract.industries)
    meta = SourceVersion(
        source=extract.source.name,
        label=extract.source.active_version or "",
        sha256=bundled_fingerprint(extract.provenance),
        rows=len(extract.cuts),
        imported_at=memory.clock.now(),
        imported_by=BUNDLED_BY,
        status="ready",
    )
    jobs = {code: title for code, title, _ in extract.occupations}
    memory.add_version(
        extract.source, meta, extract.cuts, jobs, lambda: ContentDigest.of(bundled_rows(extract))
    )


@contextmanager
def _one_at_a_time(engine: Engine | None) -> Iterator[None]:
    """On PostgreSQL, one process prepares at a time (an advisory lock held by a connection
    of its own): `uvicorn --workers 4` on an empty database otherwise raced four schema
    migrations (three died on duplicate types) and could seed twice. The ones that waited
    find the work done. SQLite serialises its writers itself."""
    if engine is None or engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as holder:
        holder.execute(text("SELECT pg_advisory_lock(:key)"), {"key": PREPARE_LOCK})
        try:
            yield
        finally:
            holder.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": PREPARE_LOCK})


def prepare(
    container: Container, *, announce: Callable[[str], None] = lambda _: None
) -> ImportReport | None:
    """Bring the database to the current schema and seed it once; returns the seed's report."""
    with _one_at_a_time(container.engine):
        return _prepare(container, announce)


def _prepare(container: Container, announce: Callable[[str], None]) -> ImportReport | None:
    if container.engine is not None:
        with migrating(container.engine, container.settings.migration_database_url) as engine:
            if upgrade(engine):
                announce("database schema brought up to date")
    if not container.settings.bundled_data or container.market.sources():
        return None
    if isinstance(container.market, InMemoryMarketRepository):
        _seed_memory(container.market)
        return None
    announce("first use: loading the shipped BLS OEWS May 2025 data (370,172 cuts) …")
    return container.market_loader.load(open_bundled(), imported_by=BUNDLED_BY)
