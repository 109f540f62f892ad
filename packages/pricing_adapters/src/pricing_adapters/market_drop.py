"""The market data drop folders on disk: `<drop>/<source>/` with an optional `source.toml`.

A source's files wait at the top of its folder; after a refresh each is moved to
`imported/` or to `failed/` (with `<file>.errors.json`). Sub-folders and hidden files
(editors' and copiers' partial files, `.*`) are never taken.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Collection, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

import attrs

from pricing_adapters.importers.areas_csv import open_areas
from pricing_adapters.importers.bls_flat import open_bls_flat
from pricing_adapters.importers.currencies import CURRENCIES
from pricing_adapters.importers.oews_sqlite import open_oews_sqlite
from pricing_adapters.importers.records import CutRow, ReleaseFile
from pricing_adapters.importers.survey import open_survey
from pricing_adapters.settings import Settings
from pricing_core.errors import InvalidRequest, PricingError
from pricing_core.market.drop import DropConfigError, DropFile, DropKind, DropSource
from pricing_core.market.imports import ProblemLog
from pricing_core.market.model import Area

__all__ = [
    "CONFIG",
    "FAILED",
    "IMPORTED",
    "FolderDrop",
    "SourceConfig",
    "drop_dir",
    "read_config",
]

CONFIG = "source.toml"
IMPORTED = "imported"
FAILED = "failed"
PAY_PERIODS = ("annual", "monthly")


def drop_dir(settings: Settings) -> Path:
    return settings.market_drop_dir or settings.data_dir / "market-drop"


class DropUnreadable(PricingError):
    """A folder or file the refresh cannot read or move (permissions, a vanished disk)."""

    code = "drop_unreadable"


@attrs.frozen(kw_only=True)
class SourceConfig:
    """A source folder's `source.toml`; every key is optional."""

    kind: DropKind = DropKind.SURVEY
    title: str = ""
    pay_period: str = "annual"
    months_per_year: int = 12
    currency: str | None = None
    sheet: str | None = None


def _text(where: str, key: str, value: object) -> str:
    if not isinstance(value, str):
        raise DropConfigError(where, key, f"must be a string, got {value!r}")
    return value


def _checked(where: str, key: str, value: object) -> object:
    """One key's value, or DropConfigError naming the file and the key."""
    if key == "kind":
        kinds = ", ".join(k.value for k in DropKind)
        text = _text(where, key, value)
        if text not in {k.value for k in DropKind}:
            raise DropConfigError(where, key, f"must be one of {kinds}, got {text!r}")
        return DropKind(text)
    if key == "pay_period":
        text = _text(where, key, value)
        if text not in PAY_PERIODS:
            raise DropConfigError(where, key, f"must be annual or monthly, got {text!r}")
        return text
    if key == "months_per_year":
        if isinstance(value, bool) or not isinstance(value, int) or not 12 <= value <= 16:
            raise DropConfigError(
                where, key, f"must be a whole number from 12 to 16, got {value!r}"
            )
        return value
    if key == "currency":
        text = _text(where, key, value)
        if text not in CURRENCIES:
            raise DropConfigError(where, key, f"must be an ISO 4217 code, got {text!r}")
        return text
    text = _text(where, key, value)
    if key == "title" and len(text) > 300:
        raise DropConfigError(where, key, "at most 300 characters")
    return text


def read_config(folder: Path) -> SourceConfig:
    """The folder's `source.toml`, checked key by key; the defaults when there is none."""
    path = folder / CONFIG
    where = f"{folder.name}/{CONFIG}"
    if not path.is_file():
        return SourceConfig()
    try:
        found = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise DropConfigError(where, "-", f"not valid TOML: {error}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise DropConfigError(where, "-", f"cannot be read: {error}") from None
    known = {f.name for f in attrs.fields(SourceConfig)}
    values: dict[str, object] = {}
    for key, value in found.items():
        if key not in known:
            raise DropConfigError(where, key, f"unknown key (known: {', '.join(sorted(known))})")
        values[key] = _checked(where, key, value)
    return SourceConfig(**values)  # type: ignore[arg-type]  # each value checked above


def _currency_kept(release: ReleaseFile, currency: str) -> ReleaseFile:
    """Rows in another currency than the source's are problems: the file is rejected."""
    rows = release.rows

    def kept() -> Iterator[CutRow]:
        for row in rows:
            if row.currency != currency:
                release.problems.add(
                    0,
                    "currency",
                    row.currency,
                    f"the source's currency is {currency} (source.toml)",
                )
                continue
            yield row

    release.rows = kept()
    return release


@attrs.frozen(kw_only=True)
class FolderDrop:
    """The drop folders under `root`, one per source, named after it."""

    root: Path

    def sources(self) -> Sequence[str]:
        try:
            return sorted(p.name for p in self.root.iterdir() if p.is_dir() and _visible(p))
        except FileNotFoundError:
            return []
        except OSError as error:
            raise DropUnreadable(f"the drop folder cannot be read: {error.strerror}") from None

    def scan(self, source: str) -> DropSource:
        folder = self.root / source
        if not folder.is_dir():
            raise DropUnreadable(f"no drop folder {source!r} in {self.root}", source=source)
        config = read_config(folder)
        try:
            files = [
                DropFile(name=p.name, modified=datetime.fromtimestamp(p.stat().st_mtime, UTC))
                for p in folder.iterdir()
                if p.is_file() and _visible(p) and p.name != CONFIG
            ]
        except OSError as error:
            raise DropUnreadable(f"{source}: cannot be read: {error.strerror}") from None
        files.sort(key=lambda f: (f.modified, f.name))
        return DropSource(name=source, kind=config.kind, files=tuple(files))

    def open_release(
        self, source: DropSource, file: DropFile, known_areas: Collection[str]
    ) -> ReleaseFile:
        config = read_config(self.root / source.name)
        path = self.root / source.name / file.name
        try:
            if source.kind is DropKind.OEWS:
                opener = open_bls_flat if file.name.startswith("oe.") else open_oews_sqlite
                release = opener(path, source=source.name)
            else:
                release = open_survey(
                    path,
                    source=source.name,
                    known_areas=known_areas,
                    pay_period_default=config.pay_period,
                    months_per_year=config.months_per_year,
                    sheet=config.sheet,
                )
        except PricingError:
            raise
        except (OSError, ValueError) as error:
            raise InvalidRequest("file", f"cannot be read: {error}") from None
        if config.title:
            release.source = attrs.evolve(release.source, title=config.title)
        if config.currency is not None:
            release = _currency_kept(release, config.currency)
        return release

    def open_areas(
        self, file: DropFile, source: str, known_areas: Collection[str]
    ) -> tuple[Sequence[Area], ProblemLog]:
        try:
            return open_areas(self.root / source / file.name, known_areas=known_areas)
        except OSError as error:
            raise InvalidRequest("file", f"cannot be read: {error.strerror}") from None

    def imported(self, source: str, file: DropFile) -> None:
        self._move(source, file, IMPORTED)

    def failed(self, source: str, file: DropFile, errors: Sequence[Mapping[str, object]]) -> None:
        target = self._move(source, file, FAILED)
        report = target.with_name(f"{target.name}.errors.json")
        report.write_text(json.dumps({"file": file.name, "errors": list(errors)}, indent=2) + "\n")

    def _move(self, source: str, file: DropFile, into: str) -> Path:
        """Move the file into the sub-folder; an older file of the same name there is kept
        under its time of arrival, so no earlier drop is overwritten."""
        folder = self.root / source / into
        try:
            folder.mkdir(exist_ok=True)
            target = folder / file.name
            if target.exists():
                target = folder / f"{file.modified:%Y%m%dT%H%M%S}-{file.name}"
            (self.root / source / file.name).replace(target)
        except OSError as error:
            raise DropUnreadable(
                f"{source}/{file.name}: cannot be moved: {error.strerror}"
            ) from None
        return target


def _visible(path: Path) -> bool:
    return not path.name.startswith(".") and path.name not in {IMPORTED, FAILED}
