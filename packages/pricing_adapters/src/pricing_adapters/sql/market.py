"""The market data reader on SQL: active versions, the areas tree and cut lookups."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, Row, bindparam, select

from pricing_adapters.rows import cut_from_values
from pricing_adapters.sql.engine import for_reads
from pricing_adapters.sql.tables import (
    market_areas,
    market_cuts,
    market_industries,
    market_jobs,
    market_sources,
    market_versions,
)
from pricing_core.market.model import Area, Cut, Industry, Source, SourceVersion
from pricing_core.market.ports import MarketReader

__all__ = ["CACHE_SECONDS", "SqlMarketRepository"]

CACHE_SECONDS = 60.0
CUT_CACHE_SIZE = 20_000  # the all-occupations medians and the popular jobs stay in memory
_MISS = object()  # not remembered (None is a remembered absence)


def _area(row: Row[Any]) -> Area:
    return Area(code=row.code, name=row.name, kind=row.kind, parent=row.parent)


def _industry(row: Row[Any]) -> Industry:
    return Industry(code=row.code, name=row.name, level=row.level)


class SqlMarketRepository(MarketReader):
    """Reads what is committed; the small areas and industries tables are cached in memory.

    Another process may add areas at any time, so a code the cache does not know is looked
    up in the database before it is called unknown, and the cache is re-read after
    CACHE_SECONDS; `forget()` drops it at once (the loader calls it after its own writes).
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._reads = for_reads(engine)
        self._lock = threading.Lock()
        self._areas: dict[str, Area] | None = None
        self._industries: dict[str, Industry] | None = None
        self._read_at = 0.0
        self._version_ids: dict[tuple[str, str], int] = {}
        self._cuts: dict[tuple[int, str, str, str], Cut | None] = {}
        # Built once: every price asks for its source's active version.
        self._source_by_name = self._sources_query().where(
            market_sources.c.name == bindparam("name")
        )
        self._cut_by_key = select(market_cuts).where(
            market_cuts.c.version_id == bindparam("version_id"),
            market_cuts.c.job_code == bindparam("job"),
            market_cuts.c.area_code == bindparam("area"),
            market_cuts.c.industry_code == bindparam("industry"),
        )

    def forget(self) -> None:
        with self._lock:
            self._areas = None
            self._industries = None
            self._version_ids.clear()
            self._cuts.clear()

    def _fresh(self) -> None:
        # Only the places tables change under a running process; versions and cuts do not.
        if time.monotonic() - self._read_at > CACHE_SECONDS:
            with self._lock:
                self._areas = None
                self._industries = None

    # Request threads share these caches while forget() may clear them at any moment: each
    # reader works on what it read once (a local), never on the attribute read again.

    def _area_map(self) -> dict[str, Area]:
        self._fresh()
        areas = self._areas
        if areas is None:
            with self._engine.connect() as conn:
                rows = conn.execute(select(market_areas)).all()
            areas = {r.code: _area(r) for r in rows}
            self._areas = areas
            self._read_at = time.monotonic()
        return areas

    def _industry_map(self) -> dict[str, Industry]:
        self._fresh()
        industries = self._industries
        if industries is None:
            with self._engine.connect() as conn:
                rows = conn.execute(select(market_industries)).all()
            industries = {r.code: _industry(r) for r in rows}
            self._industries = industries
            self._read_at = time.monotonic()
        return industries

    def _sources_query(self) -> Any:
        return select(
            market_sources.c.name,
            market_sources.c.title,
            market_sources.c.kind,
            market_sources.c.top_code,
            market_versions.c.label,
        ).join_from(
            market_sources,
            market_versions,
            market_sources.c.active_version_id == market_versions.c.id,
            isouter=True,
        )

    @staticmethod
    def _source(row: Row[Any]) -> Source:
        return Source(
            name=row.name,
            title=row.title,
            kind=row.kind,
            top_code=row.top_code,
            active_version=row.label,
        )

    def source(self, name: str) -> Source | None:
        with self._reads.connect() as conn:
            row = conn.execute(self._source_by_name, {"name": name}).first()
        return None if row is None else self._source(row)

    def sources(self) -> Sequence[Source]:
        with self._engine.connect() as conn:
            rows = conn.execute(self._sources_query().order_by(market_sources.c.name)).all()
        return [self._source(r) for r in rows]

    def versions(self, source: str) -> list[tuple[SourceVersion, bool]]:
        """Every version of a source, newest first, with whether it is the active one."""
        query = (
            select(market_versions, market_sources.c.active_version_id)
            .join(market_sources, market_sources.c.name == market_versions.c.source)
            .where(market_versions.c.source == source)
            .order_by(market_versions.c.id.desc())
        )
        with self._engine.connect() as conn:
            rows = conn.execute(query).all()
        return [
            (
                SourceVersion(
                    source=r.source,
                    label=r.label,
                    sha256=r.sha256,
                    rows=r.rows,
                    imported_at=r.imported_at,
                    imported_by=r.imported_by,
                    status=r.status,
                ),
                r.id == r.active_version_id,
            )
            for r in rows
        ]

    def area(self, code: str) -> Area | None:
        found = self._area_map().get(code)
        if found is None:
            with self._engine.connect() as conn:
                row = conn.execute(select(market_areas).where(market_areas.c.code == code)).first()
            if row is not None:
                self.forget()
                found = _area(row)
        return found

    def areas(self) -> Sequence[Area]:
        return list(self._area_map().values())

    def industry(self, code: str) -> Industry | None:
        found = self._industry_map().get(code)
        if found is None:
            query = select(market_industries).where(market_industries.c.code == code)
            with self._engine.connect() as conn:
                row = conn.execute(query).first()
            if row is not None:
                self.forget()
                found = _industry(row)
        return found

    def _version_id(self, conn: Any, source: str, version: str) -> int | None:
        key = (source, version)
        found: int | None = self._version_ids.get(key)
        if found is None:
            found = conn.execute(
                select(market_versions.c.id).where(
                    market_versions.c.source == source, market_versions.c.label == version
                )
            ).scalar()
            if found is None:
                return None
            # Version ids never change once committed, so they are safe to keep.
            self._version_ids[key] = found
        return found

    def cut(
        self, source: str, version: str, job_code: str, area_code: str, industry_code: str
    ) -> Cut | None:
        # A remembered cut costs no connection: most lookups of a busy server end here.
        version_id = self._version_ids.get((source, version))
        if version_id is not None:
            remembered = self._cuts.get((version_id, job_code, area_code, industry_code), _MISS)
            if remembered is not _MISS:
                return remembered  # type: ignore[return-value]
        with self._reads.connect() as conn:
            version_id = self._version_id(conn, source, version)
            if version_id is None:
                return None  # not committed (yet): nothing about it may be remembered
            key = (version_id, job_code, area_code, industry_code)
            row = conn.execute(
                self._cut_by_key,
                {
                    "version_id": version_id,
                    "job": job_code,
                    "area": area_code,
                    "industry": industry_code,
                },
            ).first()
        found = None if row is None else cut_from_values(row._mapping, source, version)
        # A committed version never changes, so its cuts (and their absence) can be kept.
        with self._lock:
            if len(self._cuts) >= CUT_CACHE_SIZE:
                self._cuts.pop(next(iter(self._cuts)), None)
            self._cuts[key] = found
        return found

    def jobs(self, source: str) -> Sequence[tuple[str, str]]:
        query = (
            select(market_jobs.c.job_code, market_jobs.c.title)
            .join(market_sources, market_sources.c.active_version_id == market_jobs.c.version_id)
            .where(market_sources.c.name == source)
            .order_by(market_jobs.c.job_code)
        )
        with self._engine.connect() as conn:
            return [(r.job_code, r.title) for r in conn.execute(query)]
