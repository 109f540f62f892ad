"""What the pricing rules need to read from market data."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from pricing_core.market.model import Area, Cut, Industry, Source, SourceVersion

__all__ = ["MarketAdmin", "MarketReader"]


class MarketReader(Protocol):
    """Read access to the active market data: sources, the areas tree and cuts."""

    def source(self, name: str) -> Source | None:
        """The source with its active version, or None when it is not loaded."""
        ...

    def sources(self) -> Sequence[Source]:
        """Every loaded source."""
        ...

    def area(self, code: str) -> Area | None:
        """The area with this exact code."""
        ...

    def areas(self) -> Sequence[Area]:
        """Every known area, for search by name."""
        ...

    def industry(self, code: str) -> Industry | None:
        """The industry with this exact code."""
        ...

    def cut(
        self, source: str, version: str, job_code: str, area_code: str, industry_code: str
    ) -> Cut | None:
        """The cut of that version for job × area × industry, or None."""
        ...

    def jobs(self, source: str) -> Sequence[tuple[str, str]]:
        """The job codes and titles of the source's active version."""
        ...


class MarketAdmin(Protocol):
    """Seeing and switching versions: roll back to an earlier one, or forward again."""

    def versions(self, source: str) -> Sequence[tuple[SourceVersion, bool]]:
        """Every version of the source, newest first, each with whether it is active."""
        ...

    def activate(self, source: str, label: str) -> None:
        """Make `label` the source's active version; unknown ones raise domain errors."""
        ...
