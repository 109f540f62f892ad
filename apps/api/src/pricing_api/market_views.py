"""Market data as the command line's `--json` and the REST API both show it, and survey opening.

One struct per shape, built by one function: `pricing market sources --json` prints and
GET /market/sources answers the same `SourceOut` (likewise versions, areas, occupations,
title matches and import reports), and the OpenAPI schema documents that very struct.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import msgspec

from pricing_adapters.bootstrap import Container
from pricing_adapters.importers.records import Progress, ReleaseFile
from pricing_adapters.importers.survey import open_survey
from pricing_api.http.quote_answer import CandidateOut
from pricing_api.quoting import values_checked
from pricing_core.market.imports import AreasReport, ImportReport, RowProblem
from pricing_core.market.model import Area, AreaKind, Source, SourceKind, SourceVersion
from pricing_core.matching.model import Occupation, TitleMatch

__all__ = [
    "IMPORT_REJECTED",
    "AreaOut",
    "ImportReportOut",
    "MatchOut",
    "OccupationOut",
    "RowProblemOut",
    "SourceOut",
    "VersionOut",
    "area_out",
    "import_report_out",
    "match_out",
    "occupation_out",
    "open_survey_file",
    "problem_out",
    "rejection",
    "source_out",
    "sources_out",
    "version_out",
]


class SourceOut(msgspec.Struct):
    source: str
    title: str
    kind: SourceKind
    active_version: str | None
    rows: int
    imported_at: datetime | None


class VersionOut(msgspec.Struct):
    version: str
    active: bool
    rows: int
    sha256: str
    imported_at: datetime
    imported_by: str
    status: str


class AreaOut(msgspec.Struct):
    code: str
    name: str
    kind: AreaKind
    parent: str | None


class OccupationOut(msgspec.Struct):
    job_code: str
    title: str


class MatchOut(msgspec.Struct):
    """Candidates best first; `level` is what the title's words imply, if anything."""

    title: str
    level: str | None
    candidates: list[CandidateOut]


class RowProblemOut(msgspec.Struct):
    """`line` counts from 1 with the header as line 1; 0 is the file itself."""

    line: int
    column: str
    value: str
    reason: str


class ImportReportOut(msgspec.Struct):
    """`outcome` is `loaded` (a new active version) or `unchanged` (already the active one)."""

    source: str
    version: str
    outcome: str
    rows: int
    seconds: float
    rows_per_second: int
    sha256: str
    problem_count: int
    problems: list[RowProblemOut]


def source_out(services: Container, source: Source) -> SourceOut:
    """A source with its active version's row count and import time."""
    versions = services.market_admin.versions(source.name)
    active = next((v for v, on in versions if on), None)
    return SourceOut(
        source=source.name,
        title=source.title,
        kind=source.kind,
        active_version=source.active_version,
        rows=active.rows if active else 0,
        imported_at=active.imported_at if active else None,
    )


def sources_out(services: Container) -> list[SourceOut]:
    return [source_out(services, s) for s in services.market.sources()]


def version_out(version: SourceVersion, active: bool) -> VersionOut:
    return VersionOut(
        version=version.label,
        active=active,
        rows=version.rows,
        sha256=version.sha256,
        imported_at=version.imported_at,
        imported_by=version.imported_by,
        status=version.status,
    )


def area_out(area: Area) -> AreaOut:
    return AreaOut(code=area.code, name=area.name, kind=area.kind, parent=area.parent)


def occupation_out(occupation: Occupation) -> OccupationOut:
    return OccupationOut(job_code=occupation.code, title=occupation.title)


def match_out(found: TitleMatch) -> MatchOut:
    """A title's ranked candidates, each with its score (4 decimals) and the reason."""
    return MatchOut(
        title=found.title,
        level=str(found.level) if found.level else None,
        candidates=[
            CandidateOut(
                job_code=c.job_code, title=c.title, score=round(c.score, 4), reason=c.reason
            )
            for c in found.candidates
        ],
    )


def problem_out(problem: RowProblem) -> RowProblemOut:
    return RowProblemOut(
        line=problem.line, column=problem.column, value=problem.value, reason=problem.reason
    )


def import_report_out(report: ImportReport) -> ImportReportOut:
    """The import report; a rejected one lists its first problems and counts them all."""
    return ImportReportOut(
        source=report.source,
        version=report.version,
        outcome=str(report.outcome),
        rows=report.rows,
        seconds=round(report.seconds, 3),
        rows_per_second=round(report.rows_per_second),
        sha256=report.sha256,
        problem_count=report.problem_count,
        problems=[problem_out(p) for p in report.problems],
    )


# The error code of a rejected file, from the command line (`--json`) and the API alike.
IMPORT_REJECTED = "import_rejected"


def rejection(report: ImportReport | AreasReport) -> tuple[str, dict[str, Any]]:
    """A rejected import's message and fields: the report plus `errors`, one a problem."""
    body: dict[str, Any] = msgspec.to_builtins(
        import_report_out(report)
        if isinstance(report, ImportReport)
        else {
            "outcome": str(report.outcome),
            "problem_count": report.problem_count,
            "problems": [problem_out(p) for p in report.problems],
        }
    )
    body["errors"] = [
        {
            "field": f"line {p.line}, column {p.column or '-'}" if p.line else "file",
            "message": p.describe(),
        }
        for p in report.problems
    ]
    shown = len(report.problems)
    more = f" (the first {shown} listed)" if report.problem_count > shown else ""
    detail = f"rejected: {report.problem_count} problem(s){more}; nothing was changed"
    return detail, body


def open_survey_file(
    services: Container,
    path: Path,
    *,
    source: str,
    pay_period: str = "annual",
    months_per_year: int = 12,
    sheet: str | None = None,
    label: str | None = None,
    progress: Progress | None = None,
) -> ReleaseFile:
    """Open a survey against the areas known now: the same validation for CLI and REST."""
    known: Sequence[str] = [a.code for a in services.market.areas()]
    with values_checked():
        return open_survey(
            path,
            source=source,
            known_areas=known,
            pay_period_default=pay_period,
            months_per_year=months_per_year,
            label=label,
            sheet=sheet,
            progress=progress,
        )
