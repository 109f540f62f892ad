"""Opens BLS's OEWS flat files (`oe.data.0.Current` and its code files) as cut rows.

The files are tab separated with a header row and space-padded fields. A data row is one
datatype of one cell: `series_id` = `OEU` + area type + area (7) + industry (6) +
occupation (6) + datatype (2). The data file is sorted by series_id, so a cell's rows are
adjacent and stream one cell at a time; a series_id lower than the one before breaks that
and is reported rather than buffered for. Problems in the code files name the file.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from pathlib import Path
from typing import TextIO

from pricing_adapters.importers.bls_codes import (
    CODE_FILES,
    code_level,
    flat_areas,
    read_table,
    release_of,
)
from pricing_adapters.importers.common import (
    READ_ERRORS,
    open_text,
    read_failure,
    rejected,
    sha256_of,
)
from pricing_adapters.importers.oews import (
    DATATYPES,
    DEFAULT_TOP_CODE,
    in_scope,
    oews_source,
    reference_date,
    soc_code,
    top_code_of,
)
from pricing_adapters.importers.oews_cells import CellReader
from pricing_adapters.importers.records import CutRow, Progress, ReleaseFile
from pricing_core.market.imports import ProblemLog
from pricing_core.market.model import Industry, Source

__all__ = ["open_bls_flat"]

DATA_NAMES = ("oe.data.0.Current", "oe.data.0.Current.gz")
DATA_COLUMNS = ("series_id", "year", "period", "value", "footnote_codes")
SLOTS = {datatype: slot for slot, datatype in enumerate(DATATYPES)}


def open_bls_flat(
    folder_or_data_file: str | Path,
    *,
    source: str | None = None,
    label: str | None = None,
    progress: Progress | None = None,
) -> ReleaseFile:
    """Open a release: a folder of flat files, or its data file with the code files beside it.

    `source` defaults to `oews-<year>` and `label` to the release code (`2025A01`), read from
    `oe.release` if present, else from the first data row. The checksum, size and progress
    are those of the data file (the code files are small and change with it).
    """
    given = Path(folder_or_data_file)
    problems = ProblemLog()
    fallback = Source(name=source or "oews", top_code=DEFAULT_TOP_CODE)
    candidates = [given / name for name in DATA_NAMES] if given.is_dir() else [given]
    data = next((path for path in candidates if path.is_file()), None)
    if data is None:
        problems.add(0, "", str(given), f"no data file {DATA_NAMES[0]}")
        return rejected(fallback, label or given.name, "", 0, problems)
    total, sha256 = data.stat().st_size, sha256_of(data)
    tables = {
        name: read_table(data.parent / name, columns, problems)
        for name, columns in CODE_FILES.items()
    }
    year, period = release_of(data, problems)
    effective = reference_date(year, period)
    if effective is None and not problems:
        problems.add(0, "period", f"{year}{period}", "unknown release (expected e.g. 2025A01)")
    if problems or effective is None:
        return rejected(fallback, label or data.name, sha256, total, problems)
    areas = tuple(flat_areas(tables["oe.area"], problems))
    industries = tuple(
        Industry(code=row["industry_code"], name=row["industry_name"], level=code_level(row))
        for _, row in tables["oe.industry"]
    )
    occupations = {
        row["occupation_code"]: row["occupation_name"] for _, row in tables["oe.occupation"]
    }
    notes = {row["footnote_code"]: row["footnote_text"] for _, row in tables["oe.footnote"]}
    reader = CellReader(
        effective=effective,
        problems=problems,
        areas={area.code for area in areas},
        occupations=set(occupations),
        industries={industry.code for industry in industries},
    )
    rows = _rows(data, reader, (year, period), progress)
    return ReleaseFile(
        source=oews_source(year, period, source, top_code_of(notes.get("5"))),
        label=label or f"{year}{period}",
        sha256=sha256,
        rows=rows,
        problems=problems,
        total_bytes=total,
        areas=areas,
        industries=industries,
        jobs={soc_code(code): title for code, title in occupations.items()},
        close=rows.close,  # closes the data file if the rows were not read to the end
    )


def _rows(
    data: Path, reader: CellReader, release: tuple[str, str], progress: Progress | None
) -> Generator[CutRow, None, None]:
    try:
        with open_text(data, progress) as text:
            yield from _cells(text, data.name, reader, release)
    except READ_ERRORS as error:
        reader.problems.add(0, "", data.name, read_failure(error))


def _cells(
    text: TextIO, name: str, reader: CellReader, release: tuple[str, str]
) -> Iterator[CutRow]:
    problems = reader.problems
    header = [column.strip() for column in text.readline().rstrip("\r\n").split("\t")]
    missing = [column for column in DATA_COLUMNS if column not in header]
    for column in missing:
        problems.add(0, column, name, "empty file" if header == [""] else f"no column {column}")
    if missing:
        return
    at_id, at_year, at_period, at_value, at_notes = map(header.index, DATA_COLUMNS)
    cell, previous, kept, spoiled = "", "", False, False
    fields: list[str | None] = []
    lines: list[int] = []

    def locate(slot: int | None) -> tuple[int, str]:
        return (first, "series_id") if slot is None else (lines[slot], "value")

    first = 0
    for number, line in enumerate(text, start=2):
        parts = line.rstrip("\r\n").split("\t")
        if len(parts) <= at_value:
            if line.strip():
                problems.add(number, "", line.strip(), f"has {len(parts)} fields, expected 5")
            continue
        series = parts[at_id].strip()
        prefix = series[:23]
        if prefix != cell:
            if kept and not spoiled:
                row = reader.row(cell, fields, locate)
                if row is not None:
                    yield row
            spoiled = prefix < cell
            if spoiled:
                reason = f"out of order after {previous}: a cell's rows must be adjacent"
                problems.add(number, "series_id", series, reason)
            cell, kept, first = prefix, in_scope(prefix), number
            fields, lines = [None] * 14, [0] * 7
        previous = series
        slot = SLOTS.get(series[23:])
        if len(series) != 25 or not series.startswith("OEU"):
            problems.add(number, "series_id", series, "not an OEWS series id (25 characters)")
        elif (parts[at_year].strip(), parts[at_period].strip()) != release:
            found = f"{parts[at_year].strip()}{parts[at_period].strip()}"
            problems.add(number, "year", found, f"not of release {''.join(release)}")
        elif not kept or slot is None:
            continue
        elif lines[slot]:
            problems.add(number, "series_id", series, f"repeats line {lines[slot]}")
        else:
            fields[2 * slot] = parts[at_value].strip()
            fields[2 * slot + 1] = parts[at_notes].strip() if len(parts) > at_notes else ""
            lines[slot] = number
            continue
        spoiled = True
    if kept and not spoiled:
        row = reader.row(cell, fields, locate)
        if row is not None:
            yield row
