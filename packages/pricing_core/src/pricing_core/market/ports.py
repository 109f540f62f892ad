"""What the pricing rules need to read from market data."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

from pricing_core.market.imports import ImportReport
from pricing_core.market.model import Area, Cut, Industry, Source, SourceVersion

__all__ = ["AreaWriter", "MarketAdmin", "MarketReader", "Release", "ReleaseLoader"]


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


class Release(Protocol):
    """An opened import file: what it declares about itself, before its rows are read.

    Opening and reading are the importers' business; the import use case decides from
    these and hands the release on to the loader, which streams its rows.
    """

    @property
    def source(self) -> Source:
        """The source the file's rows belong to, with the kind of data they are."""
        ...

    @property
    def label(self) -> str:
        """The version label the rows are loaded under."""
        ...

    @property
    def sha256(self) -> str:
        """The file's checksum."""
        ...

    def close(self) -> None:
        """Release what the opened file holds (temporary files, connections)."""
        ...


R_contra = TypeVar("R_contra", bound=Release, contravariant=True)


class ReleaseLoader(Protocol[R_contra]):
    """Loads an opened release as a new active version, or says why not."""

    def load(self, release: R_contra, *, imported_by: str) -> ImportReport:
        """Loaded (and active), unchanged (the active version holds the same data), or
        rejected with every problem; nothing changes unless loaded. Refuses a release of
        another kind than its stored source (SourceKindConflict), checked in the same
        transaction as the load. Always closes the release."""
        ...


class AreaWriter(Protocol):
    """Adds areas to the tree (an areas file), outside any version."""

    def save_areas(self, areas: Sequence[Area]) -> None:
        """Add or update areas of the tree."""
        ...
