"""Refreshing market data from drop folders: import what is new, per source, and report.

A refresh looks at each source's drop folder, imports every file newer than the source's
active version through the same use cases as the command line and the API, and reports
per source. One source failing (a bad file, a bad `source.toml`, an unreadable folder)
never stops another: its files go to `failed/` with their errors and the refresh goes on.
A database failure is not a source's fault: it is raised, so the job fails as a whole and
no file is moved (the next run tries them again).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Generic, TypeVar

import attrs

from pricing_core.access.audit import RequestInfo
from pricing_core.access.model import Principal
from pricing_core.access.roles import Permission, Role
from pricing_core.errors import InvalidRequest, PricingError
from pricing_core.jobs.kinds import JobKind, JobResult
from pricing_core.jobs.ports import Progress
from pricing_core.market.drop import DropConfigError, DropFile, DropFolder, DropKind, DropSource
from pricing_core.market.imports import ImportOutcome, RowProblem
from pricing_core.market.ports import MarketAdmin, MarketReader, Release
from pricing_core.market.rules import check_source_name
from pricing_core.market.service import ImportAreas, ImportRelease
from pricing_core.ports import Clock

__all__ = [
    "MARKET_REFRESH",
    "REFRESH_PRINCIPAL",
    "RefreshMarket",
    "SourceStatus",
    "check_refresh",
    "market_refresh_kind",
    "source_status",
]

MARKET_REFRESH = "market_refresh"
# The one actor of every refresh, however it was started (the command line, the API, the
# schedule): the job names its starter; versions and audit rows name this actor.
REFRESH_PRINCIPAL = Principal(role=Role.ADMIN, user_id="system:refresh")

R = TypeVar("R", bound=Release)


class SourceStatus(StrEnum):
    IMPORTED = "imported"  # at least one new version loaded
    UNCHANGED = "unchanged"  # new files, all holding the data of the active version
    NO_FILES = "no_files"  # nothing newer than the active version
    FAILED = "failed"  # a bad file or configuration: see `errors`


def source_status(files: int, loaded: int, failed: bool) -> SourceStatus:
    """A source's status from what happened to its files."""
    if failed:
        return SourceStatus.FAILED
    if files == 0:
        return SourceStatus.NO_FILES
    return SourceStatus.IMPORTED if loaded else SourceStatus.UNCHANGED


def check_refresh(payload: Mapping[str, object]) -> Mapping[str, object]:
    """A refresh takes one optional field, `source`: refresh that source's folder only."""
    for name in payload:
        if name != "source":
            raise InvalidRequest(f"payload.{name}", "this job takes no such field")
    source = payload.get("source")
    if source is None:
        return {}
    if not isinstance(source, str):
        raise InvalidRequest("payload.source", "must be a source name")
    try:
        check_source_name(source)
    except InvalidRequest as error:
        raise InvalidRequest("payload.source", str(error.details["problem"]), source) from None
    return {"source": source}


def _problem(file: str, problem: RowProblem) -> dict[str, object]:
    return {
        "file": file,
        "line": problem.line,
        "column": problem.column,
        "value": problem.value,
        "reason": problem.reason,
    }


def _error(file: str, error: PricingError) -> dict[str, object]:
    column = (
        error.key if isinstance(error, DropConfigError) else str(error.details.get("field", ""))
    )
    return {"file": file, "line": 0, "column": column, "value": "", "reason": error.message}


@attrs.define
class _Tally:
    files: int = 0
    loaded: int = 0
    rows: int = 0
    version: str | None = None
    errors: list[dict[str, object]] = attrs.field(factory=list)


@attrs.frozen(kw_only=True)
class RefreshMarket(Generic[R]):
    """The `market_refresh` job: every source folder (or the payload's `source`), areas
    folders first so that a survey in the same refresh may use the areas they add."""

    drop: DropFolder[R]
    market: MarketReader
    admin: MarketAdmin
    import_release: ImportRelease[R]
    import_areas: ImportAreas
    clock: Clock

    def __call__(self, payload: Mapping[str, object], progress: Progress) -> JobResult:
        only = check_refresh(payload).get("source")
        names = [str(only)] if only is not None else list(self.drop.sources())
        progress(0, len(names))
        scanned: list[tuple[str, DropSource | PricingError]] = []
        for name in names:
            try:
                scanned.append((name, self.drop.scan(name)))
            except PricingError as error:
                scanned.append((name, error))
        scanned.sort(key=lambda item: not _is_areas(item[1]))
        reports = []
        for done, (name, found) in enumerate(scanned, start=1):
            reports.append(self._source(name, found))
            progress(done, len(names))
        failed = any(r["status"] == SourceStatus.FAILED for r in reports)
        return JobResult(report={"sources": sorted(reports, key=_name)}, partial=failed)

    def _source(self, name: str, found: DropSource | PricingError) -> dict[str, object]:
        started = self.clock.now()
        tally = _Tally()
        if isinstance(found, PricingError):
            where = found.file if isinstance(found, DropConfigError) else name
            tally.errors.append(_error(where, found))
            kind: str | None = None
        else:
            kind = str(found.kind)
            newer = self._newer(found)
            tally.files = len(newer)
            for file in newer:
                self._file(found, file, tally)
        seconds = (self.clock.now() - started).total_seconds()
        return {
            "source": name,
            "kind": kind,
            "status": str(source_status(tally.files, tally.loaded, bool(tally.errors))),
            "files": tally.files,
            "version": tally.version,
            "rows": tally.rows,
            "seconds": round(seconds, 3),
            "errors": tally.errors,
        }

    def _newer(self, found: DropSource) -> list[DropFile]:
        """Files newer than the active version (every file, for areas: they have none)."""
        if found.kind is DropKind.AREAS:
            return list(found.files)
        active = next((v for v, on in self.admin.versions(found.name) if on), None)
        if active is None or self.market.source(found.name) is None:
            return list(found.files)
        return [f for f in found.files if f.modified > active.imported_at]

    def _file(self, found: DropSource, file: DropFile, tally: _Tally) -> None:
        info = RequestInfo(user_agent="market refresh")
        known = [a.code for a in self.market.areas()]
        try:
            if found.kind is DropKind.AREAS:
                areas, problems = self.drop.open_areas(file, found.name, known)
                report = self.import_areas(
                    REFRESH_PRINCIPAL, areas, problems, file=file.name, info=info
                )
                listed, outcome, rows = report.problems, report.outcome, report.areas
            else:
                release = self.drop.open_release(found, file, known)
                loaded = self.import_release(REFRESH_PRINCIPAL, release, file=file.name, info=info)
                listed, outcome, rows = loaded.problems, loaded.outcome, loaded.rows
                if outcome is not ImportOutcome.REJECTED:
                    tally.version = loaded.version
        except PricingError as error:
            self._failed(found.name, file, [_error(file.name, error)], tally)
            return
        if outcome is ImportOutcome.REJECTED:
            self._failed(found.name, file, [_problem(file.name, p) for p in listed], tally)
            return
        if outcome is ImportOutcome.LOADED:
            tally.loaded += 1
            tally.rows += rows
        try:
            self.drop.imported(found.name, file)
        except PricingError as error:  # loaded, but left in place: the next run finds it
            tally.errors.append(_error(file.name, error))  # unchanged and moves it then

    def _failed(
        self, source: str, file: DropFile, errors: list[dict[str, object]], tally: _Tally
    ) -> None:
        tally.errors.extend(errors)
        try:
            self.drop.failed(source, file, errors)
        except PricingError as error:
            tally.errors.append(_error(file.name, error))


def _is_areas(found: DropSource | PricingError) -> bool:
    return isinstance(found, DropSource) and found.kind is DropKind.AREAS


def _name(report: Mapping[str, object]) -> str:
    return str(report["source"])


def market_refresh_kind(refresh: RefreshMarket[R]) -> JobKind:
    return JobKind(
        name=MARKET_REFRESH,
        permission=Permission.REFRESH_EXTERNAL_DATA,
        run=refresh,
        check=check_refresh,
        schedulable=True,
        description="Import the new files of every market data drop folder (or `source`'s).",
    )
