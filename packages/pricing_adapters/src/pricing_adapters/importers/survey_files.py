"""A survey file's rows as raw values, header first: CSV text fields or XLSX cell values."""

from __future__ import annotations

import csv
import zipfile
import zlib
from collections.abc import Generator
from datetime import date, datetime
from pathlib import Path
from xml.etree.ElementTree import ParseError

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from pricing_adapters.importers.common import READ_ERRORS, ProgressReader, open_text, read_failure
from pricing_adapters.importers.records import Progress
from pricing_core.market.imports import ProblemLog

__all__ = ["XLSX_SUFFIXES", "Record", "cell_text", "survey_records"]

XLSX_SUFFIXES = (".xlsx", ".xlsm")
# What a damaged workbook raises from deep inside zipfile, zlib or the XML parser.
_XLSX_ERRORS = (zipfile.BadZipFile, zlib.error, ParseError, KeyError, EOFError, OSError)

Record = tuple[int, list[str]]
"""A row's line number (the sheet's row number for XLSX) and its values as text."""


def cell_text(value: object) -> str:
    """An XLSX cell as the text a CSV would hold: numbers as written, dates as ISO dates.

    A spreadsheet stores `151252` as 151252.0: whole floats lose the `.0`, other floats
    keep Python's shortest repr, which Decimal reads back as the number the cell shows.
    """
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def survey_records(
    path: Path, *, sheet: str | None, progress: Progress | None, problems: ProblemLog
) -> Generator[Record, None, None]:
    """Every row, blank ones included; a file that cannot be read becomes a line-0 problem."""
    if path.suffix.lower() in XLSX_SUFFIXES:
        return _xlsx_records(path, sheet, progress, problems)
    return _csv_records(path, progress, problems)


def _csv_records(
    path: Path, progress: Progress | None, problems: ProblemLog
) -> Generator[Record, None, None]:
    number = 0
    try:
        with open_text(path, progress) as text:
            # Records, not physical lines: a quoted field may span lines, a spreadsheet row not.
            for number, fields in enumerate(csv.reader(text), start=1):
                yield number, fields
    except READ_ERRORS as error:
        problems.add(0, "", path.name, read_failure(error))
    except csv.Error as error:
        problems.add(number + 1, "", "", f"not valid CSV ({error})")


def _xlsx_records(
    path: Path, sheet: str | None, progress: Progress | None, problems: ProblemLog
) -> Generator[Record, None, None]:
    raw = ProgressReader(path.open("rb"), path.stat().st_size, progress)
    try:
        try:
            book = openpyxl.load_workbook(raw, read_only=True, data_only=True)
        except (*_XLSX_ERRORS, InvalidFileException, ValueError) as error:
            problems.add(0, "", path.name, f"not a readable XLSX file ({error})")
            return
        try:
            names = [worksheet.title for worksheet in book.worksheets]
            if not names:
                problems.add(0, "", path.name, "the workbook has no worksheet")
                return
            if sheet is not None and sheet not in names:
                problems.add(0, "", sheet, f"no sheet named {sheet!r}; sheets: {', '.join(names)}")
                return
            worksheet = book[sheet] if sheet is not None else book.worksheets[0]
            # The stored dimensions may be wrong (other tools write "A1"): read what is there.
            worksheet.reset_dimensions()
            rows = worksheet.iter_rows(min_row=1, values_only=True)
            for number, values in enumerate(rows, start=1):
                yield number, [cell_text(value) for value in values]
        except _XLSX_ERRORS as error:
            problems.add(0, "", path.name, f"damaged XLSX file ({error})")
        finally:
            book.close()
        raw.finish()
    finally:
        raw.close()
