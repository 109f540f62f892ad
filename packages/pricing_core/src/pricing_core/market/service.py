"""The market data use cases: import a release or an areas file, list and switch versions.

Each checks its permission, audits what it changed (`market_import`, `market_activate`) and
raises the core's errors, so the command line, the HTTP API and the worker behave alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, TypeVar

import attrs

from pricing_core.access.audit import Auditor, RequestInfo, require
from pricing_core.access.model import Outcome, Principal
from pricing_core.access.roles import Permission
from pricing_core.errors import AccessError, PricingError, SourceNotFound, UnknownVersion
from pricing_core.market.imports import AreasReport, ImportOutcome, ImportReport, ProblemLog
from pricing_core.market.model import Area, Source, SourceVersion
from pricing_core.market.ports import (
    AreaWriter,
    MarketAdmin,
    MarketReader,
    Release,
    ReleaseLoader,
)
from pricing_core.market.rules import check_kind_kept, check_source_name
from pricing_core.ports import UnitOfWork

__all__ = ["ActivateVersion", "ImportAreas", "ImportRelease", "ListVersions"]

R = TypeVar("R", bound=Release)


def _operator(detail: dict[str, object], operator: str) -> dict[str, object]:
    return {**detail, "operator": operator} if operator else detail


@attrs.frozen(kw_only=True)
class ImportRelease(Generic[R]):
    """Import an opened release (OEWS or survey) as a new version of its source.

    Needs IMPORT_MARKET_DATA. The source name must be valid and a stored source keeps its
    kind: a refusal closes the release, changes nothing, is audited and raised. A loaded,
    unchanged or rejected import is audited and returned. `operator` names the person
    behind a system actor (the command line's OS user), for the audit row only.
    """

    market: MarketReader
    loader: ReleaseLoader[R]
    auditor: Auditor

    def __call__(
        self,
        principal: Principal,
        release: R,
        *,
        file: str,
        info: RequestInfo,
        operator: str = "",
    ) -> ImportReport:
        try:
            require(principal, Permission.IMPORT_MARKET_DATA)
            check_source_name(release.source.name)
            check_kind_kept(self.market.source(release.source.name), release.source)
        except PricingError as error:
            release.close()
            self._refused(principal, release, error, file, info, operator)
            raise
        try:
            report = self.loader.load(release, imported_by=principal.actor)
        except PricingError as error:  # a taken label, or another kind in a race
            self._refused(principal, release, error, file, info, operator)
            raise
        rejected = report.outcome is ImportOutcome.REJECTED
        detail = {
            "version": report.version,
            "outcome": str(report.outcome),
            "rows": report.rows,
            "sha256": report.sha256,
            "file": file,
            "problem_count": report.problem_count,
        }
        self.auditor.record(
            "market_import",
            Outcome.FAILURE if rejected else Outcome.SUCCESS,
            info,
            actor=principal.actor,
            target_type="market_source",
            target_id=report.source,
            detail=_operator(detail, operator),
        )
        return report

    def _refused(
        self,
        principal: Principal,
        release: R,
        error: PricingError,
        file: str,
        info: RequestInfo,
        operator: str,
    ) -> None:
        if isinstance(error, AccessError):
            return  # the permission guard's own row says so
        detail: dict[str, object] = {"version": release.label, "file": file, "error": error.code}
        self.auditor.record(
            "market_import",
            Outcome.FAILURE,
            info,
            actor=principal.actor,
            target_type="market_source",
            target_id=release.source.name,
            detail=_operator(detail, operator),
        )


@attrs.frozen(kw_only=True)
class ImportAreas:
    """Add or update areas from a checked areas file; a file with problems changes nothing.

    Needs IMPORT_MARKET_DATA; audited as `market_import` of the `market_areas`.
    """

    areas: AreaWriter
    auditor: Auditor

    def __call__(
        self,
        principal: Principal,
        areas: Sequence[Area],
        problems: ProblemLog,
        *,
        file: str,
        info: RequestInfo,
        operator: str = "",
    ) -> AreasReport:
        require(principal, Permission.IMPORT_MARKET_DATA)
        if problems:
            report = AreasReport(
                outcome=ImportOutcome.REJECTED,
                problems=tuple(problems.problems),
                problem_count=problems.count,
            )
        else:
            self.areas.save_areas(areas)
            report = AreasReport(outcome=ImportOutcome.LOADED, areas=len(areas))
        detail = {
            "outcome": str(report.outcome),
            "areas": report.areas,
            "file": file,
            "problem_count": report.problem_count,
        }
        self.auditor.record(
            "market_import",
            Outcome.FAILURE if problems else Outcome.SUCCESS,
            info,
            actor=principal.actor,
            target_type="market_areas",
            target_id=file,
            detail=_operator(detail, operator),
        )
        return report


@attrs.frozen(kw_only=True)
class ListVersions:
    """Every version of a loaded source, newest first, each with whether it is active."""

    market: MarketReader
    admin: MarketAdmin

    def __call__(self, principal: Principal, source: str) -> Sequence[tuple[SourceVersion, bool]]:
        require(principal, Permission.VIEW_EXTERNAL_DATA)
        if self.market.source(source) is None:
            raise SourceNotFound(source)
        return self.admin.versions(source)


@attrs.frozen(kw_only=True)
class ActivateVersion:
    """Make a stored version the source's active one (roll back or forward), audited as
    `market_activate` with the version before. Needs IMPORT_MARKET_DATA."""

    market: MarketReader
    admin: MarketAdmin
    auditor: Auditor
    uow: UnitOfWork

    def __call__(
        self, principal: Principal, source: str, version: str, info: RequestInfo
    ) -> Source:
        require(principal, Permission.IMPORT_MARKET_DATA)
        found = self.market.source(source)
        if found is None:
            raise SourceNotFound(source)
        if not any(v.label == version for v, _ in self.admin.versions(source)):
            raise UnknownVersion(source, version)
        with self.uow.transaction():  # the activation and its audit row, or neither
            self.admin.activate(source, version)
            self.auditor.record(
                "market_activate",
                Outcome.SUCCESS,
                info,
                actor=principal.actor,
                target_type="market_source",
                target_id=source,
                detail={"version": version, "previous": found.active_version},
            )
        return self.market.source(source) or found
