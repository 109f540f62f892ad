"""Checks a survey's rows against market-data.md, one row at a time, as they stream."""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator
from datetime import date
from decimal import Decimal

import attrs

from pricing_adapters.importers.common import parse_count, parse_decimal
from pricing_adapters.importers.currencies import CURRENCIES
from pricing_adapters.importers.keyindex import KeyIndex
from pricing_adapters.importers.records import CutRow
from pricing_adapters.importers.survey_files import Record
from pricing_core.market.imports import ProblemLog
from pricing_core.market.model import ALL_INDUSTRIES, normalise_job_code

__all__ = ["PAY_PERIODS", "PERCENTILES", "REQUIRED", "SURVEY_COLUMNS", "SurveyRows"]

PERCENTILES = ("p10", "p25", "p50", "p75", "p90")
REQUIRED = ("job_code", "job_title", "area_code", "currency", "effective_date", "p50")
SURVEY_COLUMNS = (
    *REQUIRED[:5], "industry_code", *PERCENTILES, "pay_period", "incumbents", "organizations"
)  # fmt: skip
PAY_PERIODS = ("annual", "monthly")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# The widths of the columns these land in (sql/tables.py): longer text is the file's fault
# and is reported with the row, not left to fail the database write.
LONGEST = {"job_code": 40, "job_title": 300, "area_code": 20, "industry_code": 20}


@attrs.define(kw_only=True)
class SurveyRows:
    """Turns records into cut rows; remembers only the keys seen and the job titles.

    Bad values go to `problems` (line, column, value, reason) and their rows are dropped.
    """

    problems: ProblemLog
    known_areas: frozenset[str]
    default_months: int  # 1 when rows without a pay_period are annual
    months_per_year: int
    name: str
    lenient_width: bool  # XLSX rows end at their last value: shorter rows are padded
    jobs: dict[str, str] = attrs.field(factory=dict)
    seen: KeyIndex = attrs.field(factory=KeyIndex)
    fields: list[tuple[str, int]] = attrs.field(factory=list)
    last_date: tuple[str, date | None] = ("", None)

    def rows(self, records: Iterator[Record]) -> Generator[CutRow, None, None]:
        width, data_rows = -1, 0
        for number, values in records:
            if not any(value.strip() for value in values):
                continue
            if width < 0:
                width = self._header(number, values)
                if width == 0:
                    return
                continue
            data_rows += 1
            if len(values) != width:
                extra = values[width:]
                if not self.lenient_width or any(value.strip() for value in extra):
                    reason = f"has {len(values)} fields; the header has {width}"
                    self.problems.add(number, "", values[0].strip(), reason)
                    continue
                values = (values + [""] * width)[:width]
            row = self._row(number, values)
            if row is not None:
                yield row
        if width < 0 and not self.problems:
            self.problems.add(0, "", self.name, "empty file")
        elif width > 0 and not data_rows and not self.problems:
            self.problems.add(0, "", self.name, "no data rows: only a header")

    def _header(self, number: int, values: list[str]) -> int:
        """Maps the known columns; 0 if one is missing (line 0) or named twice."""
        names = [value.strip().lower() for value in values]
        while self.lenient_width and names and not names[-1]:
            names.pop()
        columns: dict[str, int] = {}
        for position, name in enumerate(names):
            if name in SURVEY_COLUMNS and name in columns:
                first = columns[name] + 1
                self.problems.add(number, name, name, f"column appears twice (also column {first})")
            columns.setdefault(name, position)
        for column in REQUIRED:
            if column not in columns:
                self.problems.add(0, column, "", "missing required column")
        self.fields = [(name, at) for name, at in columns.items() if name in SURVEY_COLUMNS]
        return 0 if self.problems else len(names)

    def _row(self, number: int, values: list[str]) -> CutRow | None:
        problems, before = self.problems, self.problems.count
        cell = {name: values[at].strip() for name, at in self.fields}
        for column in REQUIRED:
            if not cell[column]:
                problems.add(number, column, "", "required value is empty")
        for column, longest in LONGEST.items():
            if len(cell.get(column, "")) > longest:
                problems.add(number, column, cell[column], f"longer than {longest} characters")
        job, area = normalise_job_code(cell["job_code"]), cell["area_code"]
        industry = cell.get("industry_code") or ALL_INDUSTRIES
        if area and area not in self.known_areas:
            problems.add(number, "area_code", area, "unknown area")
        currency = cell["currency"].upper()
        if currency and currency not in CURRENCIES:
            problems.add(number, "currency", cell["currency"], "unknown currency (ISO 4217)")
        effective = self._date(number, cell["effective_date"])
        months = self._months(number, cell.get("pay_period", ""))
        pay = [self._money(number, name, cell.get(name, "")) for name in PERCENTILES]
        self._check_order(number, pay)
        incumbents = self._count(number, "incumbents", cell.get("incumbents", ""))
        organizations = self._count(number, "organizations", cell.get("organizations", ""))
        if job and area:
            first = self.seen.first_line((job, area, industry), number)
            if first is not None:
                reason = f"duplicate of line {first} (same job_code, area_code, industry_code)"
                problems.add(number, "job_code", f"{job} / {area} / {industry}", reason)
        if problems.count != before or effective is None:
            return None
        self.jobs.setdefault(job, cell["job_title"])
        p10, p25, p50, p75, p90 = (None if v is None else v * months for v in pay)
        states = "".join("S" if value is None else "V" for value in pay)
        return CutRow(
            job, area, industry, currency, effective, p10, p25, p50, p75, p90, states,
            None, incumbents, organizations, None,
        )  # fmt: skip

    def _date(self, number: int, text: str) -> date | None:
        if text == self.last_date[0]:
            return self.last_date[1]  # rows of a survey mostly share one date
        effective = None
        try:
            if _ISO_DATE.fullmatch(text):
                effective = date.fromisoformat(text)
        except ValueError:
            pass
        if effective is None and text:
            self.problems.add(number, "effective_date", text, "not a date (YYYY-MM-DD)")
        self.last_date = (text, effective)
        return effective

    def _months(self, number: int, period: str) -> int:
        if not period:
            return self.default_months
        if period.lower() not in PAY_PERIODS:
            self.problems.add(number, "pay_period", period, "not annual or monthly")
        return self.months_per_year if period.lower() == "monthly" else 1

    def _money(self, number: int, column: str, text: str) -> Decimal | None:
        if not text:
            return None
        try:
            amount = parse_decimal(text)
        except ValueError as error:
            self.problems.add(number, column, text, str(error))
            return None
        if amount <= 0:
            self.problems.add(number, column, text, "must be positive")
            return None
        return amount

    def _check_order(self, number: int, pay: list[Decimal | None]) -> None:
        last: tuple[str, Decimal] | None = None
        for name, value in zip(PERCENTILES, pay, strict=True):
            if value is None:
                continue
            if last is not None and value < last[1]:
                reason = f"{name} ({value}) is below {last[0]} ({last[1]})"
                self.problems.add(number, name, str(value), reason)
            last = (name, value)

    def _count(self, number: int, column: str, text: str) -> int | None:
        if not text:
            return None
        try:
            count = parse_count(text)
        except ValueError as error:
            self.problems.add(number, column, text, str(error))
            return None
        if count <= 0:
            self.problems.add(number, column, text, "must be positive")
            return None
        return count
