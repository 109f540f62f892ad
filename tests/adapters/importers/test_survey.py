"""The survey importer: CSV and XLSX rows, every bad value reported, memory flat in file size."""

from __future__ import annotations

import csv
import hashlib
import tracemalloc
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from pricing_adapters.importers.records import CutRow, ReleaseFile
from pricing_adapters.importers.survey import open_survey
from pricing_core.errors import InvalidRequest
from pricing_core.market.model import SourceKind

HEADER = [
    "job_code", "job_title", "area_code", "industry_code", "currency", "effective_date",
    "p10", "p25", "p50", "p75", "p90", "pay_period", "incumbents", "organizations",
]  # fmt: skip
SWE3 = ["ENG-SWE-P3", "Software Engineer III", "SG-01", "", "SGD", "2025-04-01",
        "60000", "70000", "80000", "90000", "100000", "", "120", "14"]  # fmt: skip
SWE4 = ["ENG-SWE-P4", "Software Engineer IV", "SG", "541500", "SGD", "2025-04-01",
        "", "", "9000", "", "", "monthly", "30", "8"]  # fmt: skip
AREAS = {"SG", "SG-01", "0000000"}


def _csv(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out, lineterminator="\n").writerows([header, *rows])
    return path


def _open(path: Path, **options: object) -> ReleaseFile:
    return open_survey(path, source="mercer-2025", known_areas=AREAS, **options)  # type: ignore[arg-type]


def _problems(release: ReleaseFile) -> list[tuple[int, str, str, str]]:
    return [(p.line, p.column, p.value, p.reason) for p in release.problems.problems]


def _with(row: list[str], column: str, value: str) -> list[str]:
    changed = list(row)
    changed[HEADER.index(column)] = value
    return changed


def test_good_csv_rows(tmp_path: Path) -> None:
    path = _csv(tmp_path / "mercer sg.csv", [SWE3, SWE4])
    calls: list[int] = []
    release = _open(path, progress=calls.append)
    rows = list(release.rows)
    assert not release.problems
    assert rows == [
        CutRow("ENG-SWE-P3", "SG-01", "000000", "SGD", date(2025, 4, 1), Decimal(60000),
               Decimal(70000), Decimal(80000), Decimal(90000), Decimal(100000), "VVVVV",
               None, 120, 14, None),
        # monthly: × 12; empty optional percentiles are missing ("S")
        CutRow("ENG-SWE-P4", "SG", "541500", "SGD", date(2025, 4, 1), None, None,
               Decimal(108000), None, None, "SSVSS", None, 30, 8, None),
    ]  # fmt: skip
    assert all(isinstance(v, Decimal) for r in rows for v in r[5:10] if v is not None)
    assert release.jobs == {
        "ENG-SWE-P3": "Software Engineer III",
        "ENG-SWE-P4": "Software Engineer IV",
    }
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert release.sha256 == digest
    assert release.label == f"mercer sg-{digest[:8]}"
    assert (release.source.name, release.source.kind, release.source.top_code) == (
        "mercer-2025",
        SourceKind.SURVEY,
        None,
    )
    assert release.total_bytes == path.stat().st_size == sum(calls)


def test_header_is_matched_loosely_and_extra_columns_ignored(tmp_path: Path) -> None:
    header = [f" {name.upper()} " for name in HEADER] + ["Comment"]
    path = tmp_path / "bom.csv"
    text = "\n".join(",".join(row) for row in [header, [*SWE3, "benchmark"]])
    path.write_bytes("\ufeff".encode() + text.encode())
    release = _open(path)
    [row] = list(release.rows)
    assert not release.problems
    assert (row.job_code, row.p50) == ("ENG-SWE-P3", Decimal(80000))


def test_only_required_columns(tmp_path: Path) -> None:
    header = ["job_code", "job_title", "area_code", "currency", "effective_date", "p50"]
    path = _csv(tmp_path / "s.csv", [["J1", "Job", "SG", "usd", "2025-01-01", "1,234.50"]], header)
    [row] = list(_open(path).rows)
    assert (row.industry_code, row.currency, row.p50, row.states) == (
        "000000",
        "USD",
        Decimal("1234.50"),
        "SSVSS",
    )


def test_months_per_year_and_the_pay_period_default(tmp_path: Path) -> None:
    rows = [
        _with(SWE3, "pay_period", ""),
        _with(_with(SWE4, "pay_period", "Annual"), "p50", "9000"),
    ]
    path = _csv(tmp_path / "s.csv", rows)
    release = _open(path, pay_period_default="monthly", months_per_year=13)
    first, second = list(release.rows)
    assert first.p10 == Decimal(60000 * 13)  # no pay_period: the default, monthly
    assert second.p50 == Decimal(9000)  # the row's own pay_period wins


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"pay_period_default": "weekly"}, "pay_period_default"),
        ({"months_per_year": 0}, "months_per_year"),
    ],
)
def test_bad_arguments(tmp_path: Path, options: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidRequest) as raised:
        _open(_csv(tmp_path / "s.csv", [SWE3]), **options)
    assert raised.value.field == field


def _xlsx(path: Path, rows: Sequence[Sequence[object]], *, title: str = "Data") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)  # a new workbook has one sheet, and it is active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    book.create_sheet("Notes").append(["not", "the", "data"])
    book.save(path)
    return path


def test_xlsx_reads_like_csv(tmp_path: Path) -> None:
    typed: list[object] = [
        "ENG-SWE-P3", "Software Engineer III", "SG-01", None, "SGD", datetime(2025, 4, 1),  # noqa: DTZ001
        60000, 70000.0, 80000.5, 90000, 100000, None, 120, 14.0,
    ]  # fmt: skip
    path = _xlsx(tmp_path / "survey.xlsx", [HEADER, typed, [], SWE4])
    calls: list[int] = []
    release = _open(path, progress=calls.append)
    rows = list(release.rows)
    assert not release.problems
    assert rows[0].p50 == Decimal("80000.5")
    assert rows[0].p25 == Decimal(70000)
    assert (rows[0].effective_date, rows[0].organizations) == (date(2025, 4, 1), 14)
    assert rows[1].p50 == Decimal(108000)
    assert sum(calls) == path.stat().st_size


def test_xlsx_lines_are_sheet_rows_and_sheet_can_be_chosen(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "s.xlsx", [HEADER, SWE3, [], [], _with(SWE4, "p50", "x")], title="A")
    release = _open(path, sheet="A")
    assert len(list(release.rows)) == 1
    assert _problems(release) == [(5, "p50", "x", "not a number")]


def test_xlsx_missing_sheet(tmp_path: Path) -> None:
    release = _open(_xlsx(tmp_path / "s.xlsx", [HEADER, SWE3]), sheet="Salaries")
    assert list(release.rows) == []
    reason = "no sheet named 'Salaries'; sheets: Data, Notes"
    assert _problems(release) == [(0, "", "Salaries", reason)]


def test_not_an_xlsx_file(tmp_path: Path) -> None:
    path = tmp_path / "s.xlsx"
    path.write_text("job_code,job_title\n")
    release = _open(path)
    assert list(release.rows) == []
    [(line, column, value, reason)] = _problems(release)
    assert (line, column, value) == (0, "", "s.xlsx")
    assert reason.startswith("not a readable XLSX file")


BAD_ROWS = [
    ("job_title", "", "required value is empty"),
    ("p50", "", "required value is empty"),
    ("p50", "abc", "not a number"),
    ("p10", "-5", "must be positive"),
    ("p75", "0", "must be positive"),
    ("currency", "XYZ", "unknown currency (ISO 4217)"),
    ("effective_date", "2025-13-01", "not a date (YYYY-MM-DD)"),
    ("effective_date", "01/04/2025", "not a date (YYYY-MM-DD)"),
    ("area_code", "MY-01", "unknown area"),
    ("pay_period", "weekly", "not annual or monthly"),
    ("incumbents", "many", "not a number"),
    ("incumbents", "2.5", "not a whole number"),
    ("organizations", "0", "must be positive"),
    ("p50", "1e1000000", "too large (more than 15 digits)"),
    ("incumbents", "99999999999", "too large (at most 2,147,483,647)"),
    ("job_code", "X" * 41, "longer than 40 characters"),
    ("job_title", "T" * 301, "longer than 300 characters"),
]


@pytest.mark.parametrize(("column", "value", "reason"), BAD_ROWS)
def test_bad_value_is_reported_and_its_row_left_out(
    tmp_path: Path, column: str, value: str, reason: str
) -> None:
    path = _csv(tmp_path / "s.csv", [SWE4, _with(SWE3, column, value)])
    release = _open(path)
    rows = list(release.rows)
    assert _problems(release) == [(3, column, value[:80], reason)]  # values shown cut to 80
    assert [r.job_code for r in rows] == ["ENG-SWE-P4"]  # the good row still streams


def test_decreasing_percentiles_name_both(tmp_path: Path) -> None:
    release = _open(_csv(tmp_path / "s.csv", [_with(SWE3, "p25", "50000")]))
    assert list(release.rows) == []
    assert _problems(release) == [(2, "p25", "50000", "p25 (50000) is below p10 (60000)")]


def test_duplicate_names_the_first_line(tmp_path: Path) -> None:
    # An empty industry is the cross-industry code: the same key as "000000".
    rows = [SWE3, SWE4, _with(SWE3, "industry_code", "000000")]
    release = _open(_csv(tmp_path / "s.csv", rows))
    assert [r.job_code for r in release.rows] == ["ENG-SWE-P3", "ENG-SWE-P4"]
    assert _problems(release) == [
        (4, "job_code", "ENG-SWE-P3 / SG-01 / 000000",
         "duplicate of line 2 (same job_code, area_code, industry_code)"),
    ]  # fmt: skip


def test_a_row_with_another_number_of_fields(tmp_path: Path) -> None:
    release = _open(_csv(tmp_path / "s.csv", [SWE3[:-1], SWE4]))
    assert [r.job_code for r in release.rows] == ["ENG-SWE-P4"]
    assert _problems(release) == [(2, "", "ENG-SWE-P3", "has 13 fields; the header has 14")]


def test_every_bad_row_is_listed(tmp_path: Path) -> None:
    rows = [_with(SWE3, "currency", "XXX"), SWE4, _with(_with(SWE3, "area_code", "SG"), "p90", "-")]
    release = _open(_csv(tmp_path / "s.csv", rows))
    assert [r.job_code for r in release.rows] == ["ENG-SWE-P4"]
    assert [(p.line, p.column) for p in release.problems.problems] == [(2, "currency"), (4, "p90")]


def test_missing_required_columns_once_each(tmp_path: Path) -> None:
    header = [name for name in HEADER if name not in ("currency", "p50")]
    rows = [[v for n, v in zip(HEADER, row, strict=True) if n in header] for row in (SWE3, SWE4)]
    release = _open(_csv(tmp_path / "s.csv", rows, header))
    assert list(release.rows) == []
    assert _problems(release) == [
        (0, "currency", "", "missing required column"),
        (0, "p50", "", "missing required column"),
    ]


def test_empty_file_and_header_only(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    release = _open(empty)
    assert list(release.rows) == []
    assert _problems(release) == [(0, "", "empty.csv", "empty file")]
    header_only = _open(_csv(tmp_path / "header.csv", []))
    assert list(header_only.rows) == []
    assert _problems(header_only) == [(0, "", "header.csv", "no data rows: only a header")]


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes(",".join(HEADER).encode() + b"\nENG,Ing\xe9nieur,SG,,SGD,2025-01-01\n")
    release = _open(path)
    assert list(release.rows) == []
    [(line, _, value, reason)] = _problems(release)
    assert (line, value) == (0, "latin.csv")
    assert reason.startswith("not UTF-8 text (byte 0xe9")


def test_memory_stays_flat_while_a_large_file_streams(tmp_path: Path) -> None:
    """Rows are never collected: what grows is the duplicate-key index, ~20 bytes a row."""
    path = tmp_path / "large.csv"
    title = "Engineering - Software Development - Backend Platform Services - Professional"
    with path.open("w") as out:
        out.write(",".join(HEADER) + "\n")
        for n in range(20_000):
            job, area = f"ENG-{n % 500:04d}", f"SG-{n // 500:03d}"
            pay = "50000.00,60000.00,70000.00,80000.00,90000.00"
            out.write(f"{job},{title} {n % 500},{area},541511,SGD,2025-04-01,{pay},annual,12,3\n")
    areas = {f"SG-{k:03d}" for k in range(40)}
    release = open_survey(path, source="big", known_areas=areas)
    tracemalloc.start()
    try:
        count = sum(1 for _ in release.rows)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 20_000
    assert not release.problems
    assert peak < path.stat().st_size / 4  # measured: about a fifth, most of it the index


def test_a_column_named_twice(tmp_path: Path) -> None:
    release = _open(_csv(tmp_path / "s.csv", [[*SWE3, "1"]], [*HEADER, "P50"]))
    assert list(release.rows) == []
    assert _problems(release) == [(1, "p50", "p50", "column appears twice (also column 9)")]


def test_not_csv(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    huge = "x" * 200_000  # past the csv module's field limit: no survey has such a cell
    path.write_text("\n".join([",".join(HEADER), ",".join(SWE3), huge]) + "\n")
    release = _open(path)
    assert [r.job_code for r in release.rows] == ["ENG-SWE-P3"]
    [(line, _, _, reason)] = _problems(release)
    assert line == 3
    assert reason.startswith("not valid CSV")


def test_xlsx_numeric_job_code_reads_as_a_soc_code(tmp_path: Path) -> None:
    row: list[object] = [151252.0, "Software Developers", "SG", None, "SGD", "2025-04-01",
                         None, None, 120000, None, None, None, None, None]  # fmt: skip
    release = _open(_xlsx(tmp_path / "s.xlsx", [HEADER, row]))
    [cut] = list(release.rows)
    assert (cut.job_code, cut.p50) == ("15-1252", Decimal(120000))
    assert release.jobs == {"15-1252": "Software Developers"}


def test_close_ends_the_stream(tmp_path: Path) -> None:
    release = _open(_csv(tmp_path / "s.csv", [SWE3, SWE4]))
    assert next(release.rows).job_code == "ENG-SWE-P3"
    release.close()
    assert list(release.rows) == []
