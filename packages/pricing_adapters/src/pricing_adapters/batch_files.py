"""Batch tables on disk: reading a CSV or XLSX of jobs, writing the priced CSV, XLSX or JSON.

Uploaded batches are kept one folder each under `$PRICING_DATA_DIR/batches/<batch id>/`:
the upload as `input.csv` or `input.xlsx`, and once priced `result.csv`, `result.xlsx` and
`result.json` (written under temporary names and renamed, so a half-written result is never
served). Cells are written as they are priced; rows are never logged.
"""

from __future__ import annotations

import csv
import json
import os
import secrets
import shutil
import zipfile
import zlib
from collections.abc import Generator, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, ExitStack, contextmanager
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, TextIO
from xml.etree.ElementTree import ParseError

import attrs
import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from pricing_adapters.importers.common import open_text
from pricing_adapters.importers.survey_files import XLSX_SUFFIXES, cell_text
from pricing_core.batch.job import BATCH_ID
from pricing_core.batch.rows import Cell
from pricing_core.errors import InvalidRequest, NotFound

__all__ = [
    "FORMATS",
    "BatchFolders",
    "FileTable",
    "read_table",
    "write_table",
]

FORMATS = ("csv", "xlsx", "json")
_XLSX_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    ParseError,
    KeyError,
    EOFError,
    OSError,
    InvalidFileException,
    ValueError,
)


def _csv_lines(path: Path) -> Generator[list[str], None, None]:
    try:
        with open_text(path, None) as text:
            yield from csv.reader(text)
    except UnicodeDecodeError:
        raise InvalidRequest("file", "is not UTF-8 text") from None
    except csv.Error as error:
        raise InvalidRequest("file", f"is not valid CSV ({error})") from None


def _xlsx_lines(path: Path) -> Generator[list[str], None, None]:
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except _XLSX_ERRORS as error:
        raise InvalidRequest("file", f"is not a readable XLSX file ({error})") from None
    try:
        if not book.worksheets:
            raise InvalidRequest("file", "the workbook has no worksheet")
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # other tools write wrong dimensions: read what is there
        for values in sheet.iter_rows(values_only=True):
            yield [cell_text(value) for value in values]
    except _XLSX_ERRORS as error:
        raise InvalidRequest("file", f"is a damaged XLSX file ({error})") from None
    finally:
        book.close()


def _lines(path: Path) -> Generator[list[str], None, None]:
    if path.suffix.lower() in XLSX_SUFFIXES:
        return _xlsx_lines(path)
    return _csv_lines(path)


@attrs.frozen
class FileTable:
    """A CSV or XLSX file (the first sheet): its header row, row count, and rows on demand."""

    path: Path
    header: Sequence[str]
    total: int

    @contextmanager
    def _open(self) -> Iterator[Iterable[Sequence[str]]]:
        lines = _lines(self.path)
        try:
            next(lines, None)  # the header
            yield lines
        finally:
            lines.close()

    def rows(self) -> AbstractContextManager[Iterable[Sequence[str]]]:
        return self._open()


def read_table(path: Path) -> FileTable:
    """The table in `path`; InvalidRequest("file", …) when it is empty or unreadable."""
    lines = _lines(path)
    try:
        header = next(lines, None)
        total = sum(1 for values in lines if any(v.strip() for v in values))
    finally:
        lines.close()
    if not header or not any(h.strip() for h in header):
        raise InvalidRequest("file", "has no header row")
    return FileTable(path=path, header=[h.strip() for h in header], total=total)


def _text(value: Cell) -> str:
    return str(value)


def _json_value(value: Cell) -> str | int:
    # Money as exact decimal text: a JSON number would be read back as a float.
    return str(value) if isinstance(value, Decimal) else value


class _Writer:
    """Writes the rows to each requested format at once, as they come."""

    def __init__(self, targets: dict[str, Path], columns: Sequence[str], stack: ExitStack):
        self.columns = list(columns)
        self.csv: Any = None
        self.json: TextIO | None = None
        self.sheet: Any = None
        self.book: Any = None
        self.count = 0
        if "csv" in targets:
            handle: IO[str] = stack.enter_context(
                targets["csv"].open("w", encoding="utf-8", newline="")
            )
            self.csv = csv.writer(handle)
            self.csv.writerow(self.columns)
        if "json" in targets:
            self.json = stack.enter_context(targets["json"].open("w", encoding="utf-8"))
            self.json.write("[")
        if "xlsx" in targets:
            self.book = openpyxl.Workbook(write_only=True)
            self.sheet = self.book.create_sheet("priced")
            self.sheet.append(self.columns)

    def add(self, row: Sequence[Cell]) -> None:
        if self.csv is not None:
            self.csv.writerow([_text(v) for v in row])
        if self.json is not None:
            item = {c: _json_value(v) for c, v in zip(self.columns, row, strict=False)}
            self.json.write(("," if self.count else "") + "\n" + json.dumps(item))
        if self.sheet is not None:
            self.sheet.append([None if v == "" else v for v in row])
        self.count += 1

    def close(self, targets: dict[str, Path]) -> None:
        if self.json is not None:
            self.json.write("\n]\n")
        if self.book is not None:
            self.book.save(targets["xlsx"])


def write_table(
    targets: dict[str, Path], columns: Sequence[str], rows: Iterable[Sequence[Cell]]
) -> None:
    """Write `rows` under `columns` to each target, by format (`csv`, `xlsx`, `json`)."""
    with ExitStack() as stack:
        writer = _Writer(targets, columns, stack)
        for row in rows:
            writer.add(row)
        writer.close(targets)


def write_csv(out: TextIO, columns: Sequence[str], rows: Iterable[Sequence[Cell]]) -> None:
    """CSV to an open text stream (the command line's standard output)."""
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_text(v) for v in row])


@attrs.frozen
class BatchFolders:
    """The batches under `root` (`$PRICING_DATA_DIR/batches`), one folder per batch id."""

    root: Path

    def folder(self, batch: str) -> Path:
        if not BATCH_ID.match(batch):
            raise NotFound(f"no batch {batch!r}", batch=batch)
        return self.root / batch

    def store(self, suffix: str, content: IO[bytes]) -> str:
        """Copy an upload (`.csv` or `.xlsx`) into a new batch folder; its batch id."""
        batch = secrets.token_hex(16)
        folder = self.folder(batch)
        folder.mkdir(mode=0o700, parents=True)
        try:
            with (folder / f"input{suffix}").open("wb") as out:
                shutil.copyfileobj(content, out, 1 << 20)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return batch

    def remove(self, batch: str) -> None:
        shutil.rmtree(self.folder(batch), ignore_errors=True)

    def table(self, batch: str) -> FileTable:
        inputs = sorted(self.folder(batch).glob("input.*"))
        if not inputs:
            raise NotFound(f"no batch {batch!r}", batch=batch)
        return read_table(inputs[0])

    def write_result(
        self, batch: str, columns: Sequence[str], rows: Iterator[Sequence[Cell]]
    ) -> None:
        folder = self.folder(batch)
        partial = {f: folder / f".result.{f}.part" for f in FORMATS}
        write_table(partial, columns, rows)
        for fmt, path in partial.items():
            os.replace(path, folder / f"result.{fmt}")

    def result(self, batch: str, fmt: str) -> Path:
        """The stored result in format `fmt`; NotFound when it is not there (any more)."""
        path = self.folder(batch) / f"result.{fmt}"
        if fmt not in FORMATS or not path.is_file():
            raise NotFound(f"batch {batch} has no {fmt} result", batch=batch)
        return path
