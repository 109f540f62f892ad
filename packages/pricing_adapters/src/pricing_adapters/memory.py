"""In-memory market data: the embedded default with no database (`memory://`) and test gear."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

import attrs

from pricing_adapters.importers.content import ContentDigest
from pricing_adapters.importers.records import CutRow, ReleaseFile
from pricing_adapters.memory_uow import MemoryUnitOfWork, put
from pricing_adapters.rows import cut_from_values
from pricing_core.errors import InvalidRequest, SourceNotFound, UnknownVersion
from pricing_core.market.imports import ImportOutcome, ImportReport
from pricing_core.market.model import Area, Cut, Industry, Source, SourceVersion
from pricing_core.market.ports import MarketAdmin, MarketReader
from pricing_core.market.rules import check_kind_kept
from pricing_core.ports import Clock

__all__ = ["CutTable", "InMemoryCutTable", "InMemoryMarketRepository"]


class CutTable(Protocol):
    """The cuts of one source version, looked up by job × area × industry."""

    def get(self, job_code: str, area_code: str, industry_code: str) -> Cut | None: ...


class InMemoryCutTable(CutTable):
    def __init__(self, cuts: Iterable[Cut]) -> None:
        self._cuts = {(c.job_code, c.area_code, c.industry_code): c for c in cuts}

    def get(self, job_code: str, area_code: str, industry_code: str) -> Cut | None:
        return self._cuts.get((job_code, area_code, industry_code))


@attrs.define
class _Version:
    meta: SourceVersion
    table: CutTable
    jobs: dict[str, str]
    # The content checksum, computed on first need (the shipped extract's costs seconds);
    # None: unknown, so no import is taken for the same data.
    content: Callable[[], str] | None
    _known: str | None = None

    def content_sha256(self) -> str:
        if self._known is None:
            self._known = self.content() if self.content is not None else ""
        return self._known


@attrs.define
class InMemoryMarketRepository(MarketReader, MarketAdmin):
    """Sources, areas and versions in dictionaries; a version becomes visible whole.

    An activation takes part in the unit of work `uow`: undone with it. Reads take no lock
    (pricing reads here on every quote); they see a source before or after its switch.
    """

    clock: Clock
    _sources: dict[str, Source] = attrs.field(factory=dict)
    _areas: dict[str, Area] = attrs.field(factory=dict)
    _industries: dict[str, Industry] = attrs.field(factory=dict)
    _versions: dict[tuple[str, str], _Version] = attrs.field(factory=dict)
    uow: MemoryUnitOfWork = attrs.field(factory=MemoryUnitOfWork, kw_only=True)

    def add_areas(self, areas: Iterable[Area]) -> None:
        self._areas.update((a.code, a) for a in areas)

    def save_areas(self, areas: Sequence[Area]) -> None:
        self.add_areas(areas)

    def add_industries(self, industries: Iterable[Industry]) -> None:
        self._industries.update((i.code, i) for i in industries)

    def add_version(
        self,
        source: Source,
        meta: SourceVersion,
        table: CutTable,
        jobs: dict[str, str],
        content: Callable[[], str] | None = None,
    ) -> None:
        """Store a complete version and make it the source's active one in one step;
        `content` gives its content checksum (importers.content) when first asked."""
        self._versions[(source.name, meta.label)] = _Version(
            meta=meta, table=table, jobs=jobs, content=content
        )
        kind = self._sources[source.name].kind if source.name in self._sources else source.kind
        self._sources[source.name] = attrs.evolve(source, kind=kind, active_version=meta.label)

    def load(self, release: ReleaseFile, *, imported_by: str) -> ImportReport:
        """The SQL loader's contract: unchanged (the same file, or the same rows), rejected
        with every problem, or loaded; a taken label with other rows raises InvalidRequest."""
        started = time.perf_counter()
        name, label = release.source.name, release.label
        digest = ContentDigest()
        try:
            check_kind_kept(self._sources.get(name), release.source)
            active = self._active(name)
            if active is not None and active.meta.sha256 == release.sha256:
                return self._unchanged(release, active.meta.label)
            cuts = [_cut(row, name, label) for row in digest.feed(release.rows)]
        finally:
            release.close()
        content = digest.hexdigest()
        if not release.problems and active is not None and content == active.content_sha256():
            return self._unchanged(release, active.meta.label)
        if (name, label) in self._versions and not release.problems:
            raise InvalidRequest("label", f"{name} already has a version {label!r}", label)
        if not cuts and not release.problems:
            release.problems.add(0, "", "", "the file holds no data rows")
        if release.problems:
            return ImportReport(
                source=name,
                version=label,
                outcome=ImportOutcome.REJECTED,
                seconds=time.perf_counter() - started,
                sha256=release.sha256,
                problems=tuple(release.problems.problems),
                problem_count=release.problems.count,
            )
        self.add_areas(release.areas)
        self.add_industries(release.industries)
        meta = SourceVersion(
            source=name,
            label=label,
            sha256=release.sha256,
            rows=len(cuts),
            imported_at=self.clock.now(),
            imported_by=imported_by,
            status="ready",
        )
        table = InMemoryCutTable(cuts)
        self.add_version(release.source, meta, table, dict(release.jobs), lambda: content)
        return ImportReport(
            source=name,
            version=label,
            outcome=ImportOutcome.LOADED,
            rows=len(cuts),
            seconds=time.perf_counter() - started,
            sha256=release.sha256,
        )

    @staticmethod
    def _unchanged(release: ReleaseFile, active: str) -> ImportReport:
        return ImportReport(
            source=release.source.name,
            version=active,
            outcome=ImportOutcome.UNCHANGED,
            sha256=release.sha256,
        )

    def _active(self, name: str) -> _Version | None:
        source = self._sources.get(name)
        if source is None or source.active_version is None:
            return None
        return self._versions[(name, source.active_version)]

    def versions(self, source: str) -> Sequence[tuple[SourceVersion, bool]]:
        active = self._sources[source].active_version if source in self._sources else None
        found = [v.meta for (name, _), v in self._versions.items() if name == source]
        return [(meta, meta.label == active) for meta in reversed(found)]

    def activate(self, source: str, label: str) -> None:
        with self.uow.lock:
            if source not in self._sources:
                raise SourceNotFound(source)
            if (source, label) not in self._versions:
                raise UnknownVersion(source, label)
            switched = attrs.evolve(self._sources[source], active_version=label)
            put(self.uow, self._sources, source, switched)

    def source(self, name: str) -> Source | None:
        return self._sources.get(name)

    def sources(self) -> Sequence[Source]:
        return [self._sources[name] for name in sorted(self._sources)]

    def area(self, code: str) -> Area | None:
        return self._areas.get(code)

    def areas(self) -> Sequence[Area]:
        return list(self._areas.values())

    def industry(self, code: str) -> Industry | None:
        return self._industries.get(code)

    def cut(
        self, source: str, version: str, job_code: str, area_code: str, industry_code: str
    ) -> Cut | None:
        stored = self._versions.get((source, version))
        return None if stored is None else stored.table.get(job_code, area_code, industry_code)

    def jobs(self, source: str) -> Sequence[tuple[str, str]]:
        found = self._sources.get(source)
        if found is None or found.active_version is None:
            return []
        return sorted(self._versions[(source, found.active_version)].jobs.items())


def _cut(row: CutRow, source: str, version: str) -> Cut:
    return cut_from_values(row._asdict(), source, version)
