"""Opens a purchased pay survey (CSV or XLSX, columns of market-data.md) as checked cut rows."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from pricing_adapters.importers.common import rejected, sha256_of
from pricing_adapters.importers.records import Progress, ReleaseFile
from pricing_adapters.importers.survey_files import XLSX_SUFFIXES, survey_records
from pricing_adapters.importers.survey_rows import PAY_PERIODS, SURVEY_COLUMNS, SurveyRows
from pricing_core.errors import InvalidRequest
from pricing_core.market.imports import ProblemLog
from pricing_core.market.model import Source, SourceKind
from pricing_core.market.rules import check_source_name

__all__ = ["PAY_PERIODS", "SURVEY_COLUMNS", "open_survey"]


def open_survey(
    path: str | Path,
    *,
    source: str,
    known_areas: Collection[str],
    pay_period_default: str = "annual",
    months_per_year: int = 12,
    label: str | None = None,
    sheet: str | None = None,
    progress: Progress | None = None,
) -> ReleaseFile:
    """Open a survey of source `source`; rows stream with every bad value in `problems`.

    Column names are matched without case or surrounding spaces; other columns are ignored.
    Monthly figures (the `pay_period` column, else `pay_period_default`) are annualised
    with `months_per_year`. XLSX reads `sheet`, or the first sheet. `label` defaults to
    `<file stem>-<first 8 hex digits of the SHA-256>`.
    """
    check_source_name(source)  # before reading a byte of a file that cannot be taken
    if pay_period_default not in PAY_PERIODS:
        raise InvalidRequest("pay_period_default", "must be annual or monthly", pay_period_default)
    if isinstance(months_per_year, bool) or not 1 <= months_per_year <= 24:
        reason = "must be a whole number from 1 to 24"
        raise InvalidRequest("months_per_year", reason, months_per_year)
    file = Path(path)
    problems = ProblemLog()
    survey = Source(name=source, title=source, kind=SourceKind.SURVEY, top_code=None)
    if not file.is_file():
        problems.add(0, "", str(file), "no such file")
        return rejected(survey, label or file.stem, "", 0, problems)
    sha256 = sha256_of(file)
    checker = SurveyRows(
        problems=problems,
        known_areas=frozenset(known_areas),
        default_months=1 if pay_period_default == "annual" else months_per_year,
        months_per_year=months_per_year,
        name=file.name,
        lenient_width=file.suffix.lower() in XLSX_SUFFIXES,
    )
    records = survey_records(file, sheet=sheet, progress=progress, problems=problems)
    rows = checker.rows(records)

    def close() -> None:
        # Closing the generators runs their `finally`: the file (or workbook) is closed even
        # when the rows were not read to the end.
        rows.close()
        records.close()

    return ReleaseFile(
        source=survey,
        label=label or f"{file.stem[:90]}-{sha256[:8]}",  # a version label holds 100
        sha256=sha256,
        rows=rows,
        problems=problems,
        total_bytes=file.stat().st_size,
        jobs=checker.jobs,
        close=close,
    )
