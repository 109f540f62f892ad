"""The drop folders a refresh reads: their values, and the port an adapter implements."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from enum import StrEnum
from typing import Protocol, TypeVar

import attrs

from pricing_core.errors import PricingError
from pricing_core.market.imports import ProblemLog
from pricing_core.market.model import Area
from pricing_core.market.ports import Release

__all__ = ["DropConfigError", "DropFile", "DropFolder", "DropKind", "DropSource"]

R_co = TypeVar("R_co", bound=Release, covariant=True)


class DropKind(StrEnum):
    SURVEY = "survey"
    OEWS = "oews"
    AREAS = "areas"


class DropConfigError(PricingError):
    """A drop folder that cannot be read as configured: names the file and the key."""

    code = "drop_config"

    def __init__(self, file: str, key: str, reason: str) -> None:
        super().__init__(f"{file}: {key}: {reason}", file=file, key=key)
        self.file, self.key, self.reason = file, key, reason


@attrs.frozen(kw_only=True)
class DropFile:
    name: str
    modified: datetime


@attrs.frozen(kw_only=True)
class DropSource:
    """A source's folder as found: its kind and its files, oldest first."""

    name: str
    kind: DropKind
    files: tuple[DropFile, ...] = ()


class DropFolder(Protocol[R_co]):
    """The drop folders: what is waiting, opening it, and putting it away after."""

    def sources(self) -> Sequence[str]:
        """The names of the source folders, sorted."""
        ...

    def scan(self, source: str) -> DropSource:
        """The folder's kind (its `source.toml`) and waiting files; DropConfigError names a
        bad setting, another PricingError an unreadable folder."""
        ...

    def open_release(
        self, source: DropSource, file: DropFile, known_areas: Collection[str]
    ) -> R_co:
        """Open a survey or OEWS file as a release; PricingError when it cannot be read."""
        ...

    def open_areas(
        self, file: DropFile, source: str, known_areas: Collection[str]
    ) -> tuple[Sequence[Area], ProblemLog]:
        """Read an areas file: its areas and every problem."""
        ...

    def imported(self, source: str, file: DropFile) -> None:
        """Put an imported (or unchanged) file away in `imported/`."""
        ...

    def failed(self, source: str, file: DropFile, errors: Sequence[Mapping[str, object]]) -> None:
        """Put a refused file away in `failed/`, with its errors beside it."""
        ...
