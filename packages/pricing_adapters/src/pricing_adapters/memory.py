"""In-memory adapters: the embedded default for market data until it is persisted."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

import attrs
from pricing_core.market.model import Area, Cut, Industry, Source
from pricing_core.market.ports import MarketReader

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
class InMemoryMarketRepository(MarketReader):
    """Sources, areas and cut tables held in dictionaries; reads see whole versions only."""

    _sources: dict[str, Source] = attrs.field(factory=dict)
    _areas: dict[str, Area] = attrs.field(factory=dict)
    _industries: dict[str, Industry] = attrs.field(factory=dict)
    _tables: dict[tuple[str, str], CutTable] = attrs.field(factory=dict)

    def add_areas(self, areas: Iterable[Area]) -> None:
        self._areas.update((a.code, a) for a in areas)

    def add_industries(self, industries: Iterable[Industry]) -> None:
        self._industries.update((i.code, i) for i in industries)

    def add_version(self, source: Source, version: str, table: CutTable | Iterable[Cut]) -> None:
        """Store a complete version and make it the source's active one in one step."""
        if not hasattr(table, "get"):
            table = InMemoryCutTable(table)
        self._tables[(source.name, version)] = table
        self._sources[source.name] = attrs.evolve(source, active_version=version)

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
        table = self._tables.get((source, version))
        return None if table is None else table.get(job_code, area_code, industry_code)
