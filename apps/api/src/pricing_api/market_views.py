"""Market data as the command line's `--json` and the REST API both show it, and survey opening.

One function per shape, so that `pricing market sources --json` and GET /market/sources (or
`pricing match --json` and GET /market/match, …) cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pricing_adapters.bootstrap import Container
from pricing_adapters.importers.records import Progress, ReleaseFile
from pricing_adapters.importers.survey import open_survey
from pricing_api.quoting import values_checked
from pricing_core.market.imports import AreasReport, ImportReport, RowProblem
from pricing_core.market.model import Area, Source, SourceVersion
from pricing_core.matching.model import Occupation, TitleMatch

__all__ = [
    "IMPORT_REJECTED",
    "area_json",
    "import_report_json",
    "match_json",
    "occupation_json",
    "open_survey_file",
    "problem_json",
    "rejection",
    "source_json",
    "sources_json",
    "version_json",
]


def source_json(services: Container, source: Source) -> dict[str, Any]:
    """A source with its active version's row count and import time."""
    versions = services.market_admin.versions(source.name)
    active = next((v for v, on in versions if on), None)
    return {
        "source": source.name,
        "title": source.title,
        "kind": str(source.kind),
        "active_version": source.active_version,
        "rows": active.rows if active else 0,
        "imported_at": active.imported_at.isoformat() if active else None,
    }


def sources_json(services: Container) -> list[dict[str, Any]]:
    return [source_json(services, s) for s in services.market.sources()]


def version_json(version: SourceVersion, active: bool) -> dict[str, Any]:
    return {
        "version": version.label,
        "active": active,
        "rows": version.rows,
        "sha256": version.sha256,
        "imported_at": version.imported_at.isoformat(),
        "imported_by": version.imported_by,
        "status": version.status,
    }


def area_json(area: Area) -> dict[str, Any]:
    return {"code": area.code, "name": area.name, "kind": str(area.kind), "parent": area.parent}


def occupation_json(occupation: Occupation) -> dict[str, Any]:
    return {"job_code": occupation.code, "title": occupation.title}


def match_json(found: TitleMatch) -> dict[str, Any]:
    """A title's ranked candidates, each with its score (4 decimals) and the reason."""
    return {
        "title": found.title,
        "level": str(found.level) if found.level else None,
        "candidates": [
            {
                "job_code": c.job_code,
                "title": c.title,
                "score": round(c.score, 4),
                "reason": c.reason,
            }
            for c in found.candidates
        ],
    }


def problem_json(problem: RowProblem) -> dict[str, Any]:
    return {
        "line": problem.line,
        "column": problem.column,
        "value": problem.value,
        "reason": problem.reason,
    }


def import_report_json(report: ImportReport) -> dict[str, Any]:
    """The import report; a rejected one lists its first problems and counts them all."""
    return {
        "source": report.source,
        "version": report.version,
        "outcome": str(report.outcome),
        "rows": report.rows,
        "seconds": round(report.seconds, 3),
        "rows_per_second": round(report.rows_per_second),
        "sha256": report.sha256,
        "problem_count": report.problem_count,
        "problems": [problem_json(p) for p in report.problems],
    }


# The error code of a rejected file, from the command line (`--json`) and the API alike.
IMPORT_REJECTED = "import_rejected"


def rejection(report: ImportReport | AreasReport) -> tuple[str, dict[str, Any]]:
    """A rejected import's message and fields: the report plus `errors`, one a problem."""
    body = (
        import_report_json(report)
        if isinstance(report, ImportReport)
        else {
            "outcome": str(report.outcome),
            "problem_count": report.problem_count,
            "problems": [problem_json(p) for p in report.problems],
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
