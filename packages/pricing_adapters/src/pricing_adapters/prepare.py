"""First use of a database: migrate it, then load the shipped OEWS extract if it has no data."""

from __future__ import annotations

from collections.abc import Callable

from pricing_adapters.bootstrap import Container
from pricing_adapters.bundled import load_oews_extract
from pricing_adapters.importers.bundled import bundled_fingerprint, open_bundled
from pricing_adapters.memory import InMemoryMarketRepository
from pricing_adapters.sql.migrate import upgrade
from pricing_core.market.imports import ImportReport
from pricing_core.market.model import SourceVersion

__all__ = ["prepare"]

BUNDLED_BY = "bundled"


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
    memory.add_version(extract.source, meta, extract.cuts, jobs)


def prepare(
    container: Container, *, announce: Callable[[str], None] = lambda _: None
) -> ImportReport | None:
    """Bring the database to the current schema and seed it once; returns the seed's report."""
    if container.engine is not None and upgrade(container.engine):
        announce("database schema brought up to date")
    if not container.settings.bundled_data or container.market.sources():
        return None
    if isinstance(container.market, InMemoryMarketRepository):
        _seed_memory(container.market)
        return None
    announce("first use: loading the shipped BLS OEWS May 2025 data (370,172 cuts) …")
    return container.market_loader.load(open_bundled(), imported_by=BUNDLED_BY)
