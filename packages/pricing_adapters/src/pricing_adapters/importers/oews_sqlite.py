"""Opens an OEWS release SQLite (`.sqlite` or `.sqlite.gz`) as a stream of cut rows.

Problems inside the cell table name the cell's position in key order as their line and the
value column (`v13`) as their column; problems with the file itself use line 0.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from pricing_adapters.importers.common import gunzip_to, rejected, sha256_of
from pricing_adapters.importers.oews import (
    DATATYPES,
    DEFAULT_TOP_CODE,
    in_scope,
    oews_area,
    oews_source,
    reference_date,
    soc_code,
    top_code_of,
)
from pricing_adapters.importers.oews_cells import CellReader
from pricing_adapters.importers.records import CutRow, Progress, ReleaseFile
from pricing_core.market.imports import ProblemLog
from pricing_core.market.model import Area, Industry, Source

__all__ = ["open_oews_sqlite"]

SQLITE_MAGIC = b"SQLite format 3\x00"
TABLES = {
    "cell": ("key", *(f"{kind}{t}" for t in DATATYPES for kind in "vf")),
    "area": ("area_code", "areatype_code", "state_code", "area_name"),
    "occupation": ("occupation_code", "occupation_name"),
    "industry": ("industry_code", "industry_name", "display_level"),
    "footnote": ("footnote_code", "footnote_text"),
    "meta": ("name", "value"),
}
CELLS = f"SELECT {', '.join(TABLES['cell'])} FROM cell ORDER BY key"  # noqa: S608  # constants
PROGRESS_EVERY = 4096  # rows between progress calls: often enough for a bar, cheap enough


def open_oews_sqlite(
    path: str | Path,
    *,
    source: str | None = None,
    label: str | None = None,
    progress: Progress | None = None,
) -> ReleaseFile:
    """Open the release; `source` defaults to `oews-<data year>`, `label` to the release code.

    A `.gz` file is decompressed into a temporary file first (progress follows the
    compressed bytes); `close()` removes it. For a plain file, progress follows the rows.
    """
    file = Path(path)
    problems = ProblemLog()
    fallback = Source(name=source or "oews", top_code=DEFAULT_TOP_CODE)
    if not file.is_file():
        problems.add(0, "", str(file), "no such file")
        return rejected(fallback, label or file.name, "", 0, problems)
    total, sha256 = file.stat().st_size, sha256_of(file)
    database, temporary = file, None
    if file.suffix == ".gz":
        handle, name = tempfile.mkstemp(prefix="oews-", suffix=".sqlite")
        os.close(handle)
        database = temporary = Path(name)
        reason = gunzip_to(file, temporary, progress)
        if reason is not None:
            problems.add(0, "", file.name, reason)

    def discard() -> None:
        if temporary is not None:
            temporary.unlink(missing_ok=True)

    if not problems and not _is_sqlite(database):
        problems.add(0, "", file.name, "not a SQLite file")
    if problems:
        discard()
        return rejected(fallback, label or file.name, sha256, total, problems)
    # immutable: the file is an input that nothing writes while we read, and read-only
    # folders (shared data) cannot take the lock files a plain read-only open wants.
    db = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro&immutable=1", uri=True)

    def close() -> None:
        db.close()
        discard()

    try:
        opened = _open(db, file.name, problems, source, label, total, sha256, progress, close)
    except sqlite3.DatabaseError as error:
        problems.add(0, "", file.name, f"not a readable OEWS database ({error})")
        opened = None
    if opened is None:
        close()
        return rejected(fallback, label or file.name, sha256, total, problems)
    return opened


def _open(
    db: sqlite3.Connection,
    name: str,
    problems: ProblemLog,
    source: str | None,
    label: str | None,
    total: int,
    sha256: str,
    progress: Progress | None,
    close: Callable[[], None],
) -> ReleaseFile | None:
    for table, columns in TABLES.items():
        present = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
        if not present:
            problems.add(0, table, name, f"no table {table}")
        for column in columns:
            if present and column not in present:
                problems.add(0, column, name, f"no column {column} in table {table}")
    if problems:
        return None
    meta = dict(db.execute("SELECT name, value FROM meta"))
    year, period = meta.get("data_year", ""), meta.get("period", "")
    effective = reference_date(year, period)
    if effective is None:
        problems.add(0, "meta", f"{year} {period}", "unknown data_year / period (e.g. 2025 A01)")
        return None
    areas = tuple(_areas(db, problems))
    industries = tuple(
        Industry(code=code, name=title, level=int(level))
        for code, title, level in db.execute(
            "SELECT industry_code, industry_name, display_level FROM industry ORDER BY 1"
        )
    )
    jobs = {
        soc_code(code): title
        for code, title in db.execute(
            "SELECT occupation_code, occupation_name FROM occupation ORDER BY 1"
        )
    }
    if problems:
        return None
    note = db.execute("SELECT footnote_text FROM footnote WHERE footnote_code = '5'").fetchone()
    reader = CellReader(
        effective=effective,
        problems=problems,
        areas={area.code for area in areas},
        occupations={code.replace("-", "") for code in jobs},
        industries={industry.code for industry in industries},
    )
    count = db.execute("SELECT count(*) FROM cell").fetchone()[0] if progress else 0
    # After a decompression the progress bar is already full: report rows only for plain files.
    per_row = total / count if count and not name.endswith(".gz") else 0.0
    return ReleaseFile(
        source=oews_source(year, period, source, top_code_of(note[0] if note else None)),
        label=label or meta.get("release_code") or f"{year}{period}",
        sha256=sha256,
        rows=_rows(db, name, reader, progress, per_row, total),
        problems=problems,
        total_bytes=total,
        areas=areas,
        industries=industries,
        jobs=jobs,
        close=close,
    )


def _areas(db: sqlite3.Connection, problems: ProblemLog) -> Iterator[Area]:
    query = "SELECT area_code, areatype_code, state_code, area_name FROM area ORDER BY 1"
    for code, kind, state, title in db.execute(query):
        if kind in ("N", "S", "M"):
            yield oews_area(code, kind, state, title)
        else:
            problems.add(0, "areatype_code", kind, f"unknown area type of area {code}")


def _rows(
    db: sqlite3.Connection,
    name: str,
    reader: CellReader,
    progress: Progress | None,
    per_row: float,
    total: int,
) -> Iterator[CutRow]:
    position, reported = 0, 0

    def locate(slot: int | None) -> tuple[int, str]:
        return position, "key" if slot is None else f"v{DATATYPES[slot]}"

    try:
        for position, (key, *fields) in enumerate(db.execute(CELLS), start=1):
            if in_scope(key):
                row = reader.row(key, fields, locate)
                if row is not None:
                    yield row
            if per_row and progress is not None and position % PROGRESS_EVERY == 0:
                done = int(position * per_row)
                progress(done - reported)
                reported = done
    except sqlite3.DatabaseError as error:  # a damaged page half-way through the table
        reader.problems.add(position, "", name, f"damaged database ({error})")
    if per_row and progress is not None and total > reported:
        progress(total - reported)


def _is_sqlite(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
