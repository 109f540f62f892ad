"""A small OEWS release, taken from the extract shipped in pricing_adapters, in both formats.

The same cells are written as an OEWS SQLite (the schema of ../shared/data/oews) and as BLS
flat files, so that the two importers can be held to the same rows.
"""

from __future__ import annotations

import csv
import gzip
import io
import shutil
import sqlite3
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path

import attrs
import pytest

FOOTNOTES = {
    "4": "Wages for some occupations that do not generally work year-round, full time, are "
    "reported either as hourly wages or annual salaries depending on how they are typically paid.",
    "5": "This wage is equal to or greater than $115.00 per hour or $239,200 per year.",
    "8": "Estimate not released.",
}
STATE_NOTE = {"T": "5", "H": "4", "S": "8"}
# (occupation, area, industry) of the shipped extract: every percentile state, every level.
PICKED = [
    ("151252", "0041940", "000000"),  # San Jose software developers: all values
    ("291211", "0024340", "000000"),  # Grand Rapids anesthesiologists: P90 top-coded
    ("272011", "0000000", "000000"),  # actors: hourly only
    ("272011", "0000000", "44--46"),  # a national industry cell, no employment
    ("111000", "0000000", "512200"),  # suppressed, no wage RSE
    ("151252", "0000000", "000000"),
    ("151252", "0600000", "000000"),
    ("151252", "0100001", "000000"),  # a nonmetro area
]
AREA_TYPE = {"national": "N", "state": "S", "metro": "M", "nonmetro": "M"}
SCHEMA = """
CREATE TABLE cell (key TEXT PRIMARY KEY, {values}, {notes}) WITHOUT ROWID;
CREATE TABLE area (area_code TEXT PRIMARY KEY, areatype_code TEXT NOT NULL,
                   state_code TEXT NOT NULL, area_name TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE industry (industry_code TEXT PRIMARY KEY, industry_name TEXT NOT NULL,
                       display_level INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE occupation (occupation_code TEXT PRIMARY KEY, occupation_name TEXT NOT NULL,
                         display_level INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE footnote (footnote_code TEXT PRIMARY KEY, footnote_text TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
""".format(
    values=", ".join(f"v{n:02d} TEXT" for n in range(1, 18)),
    notes=", ".join(f"f{n:02d} TEXT" for n in range(1, 18)),
)
META = {"data_year": "2025", "period": "A01", "release": "May 2025", "release_code": "2025A01"}


@attrs.frozen
class Release:
    """Cells as {key: {datatype: (value, footnote)}} and the code tables they refer to."""

    cells: dict[str, dict[str, tuple[str, str]]]
    areas: list[tuple[str, str, str, str]]  # code, areatype, state, name
    occupations: list[tuple[str, str, int]]
    industries: list[tuple[str, str, int]]
    extract: dict[str, list[str]]  # key → the extract's row, to compare with


def _extract(name: str) -> list[list[str]]:
    data = resources.files("pricing_adapters.data").joinpath("oews-2025", name).read_bytes()
    return list(csv.reader(io.StringIO(gzip.decompress(data).decode())))[1:]


def _values(row: list[str]) -> dict[str, tuple[str, str]]:
    _, _, _, employment, rse, *percentiles = row
    values = {"01": (employment or "-", "" if employment else "8")}
    values["05"] = (rse or "-", "" if rse else "8")
    for datatype, cell in zip(("11", "12", "13", "14", "15"), percentiles, strict=True):
        values[datatype] = ("-", STATE_NOTE[cell]) if cell in STATE_NOTE else (cell, "")
    values["03"] = ("-", "")  # a datatype the importers do not keep
    return values


@pytest.fixture(scope="session")
def oews_release() -> Release:
    areas = {code: (name, kind, parent) for code, name, kind, parent in _extract("areas.csv.gz")}
    wanted = {f"{job},{area},{industry}" for job, area, industry in PICKED}
    rows = [row for row in _extract("cuts.csv.gz") if ",".join(row[:3]) in wanted]
    cells, extract, area_codes = {}, {}, set()
    for row in rows:
        job, area, industry = row[:3]
        key = f"OEU{AREA_TYPE[areas[area][1]]}{area}{industry}{job}"
        cells[key], extract[key] = _values(row), row
        area_codes |= {area, areas[area][2], "0000000"} - {""}
    # Out of scope (a metro's industry cell): both importers must leave it out.
    cells["OEUM0041940541500151252"] = _values(["", "", "", "10", "1.0", *["100000"] * 5])
    area_rows = []
    for code in sorted(area_codes):
        name, kind, parent = areas[code]
        state = "00" if kind == "national" else (code if kind == "state" else parent)[:2]
        area_rows.append((code, AREA_TYPE[kind], state, name))
    jobs = {job for job, _, _ in PICKED}
    industries = {industry for _, _, industry in PICKED} | {"541500"}
    return Release(
        cells=dict(sorted(cells.items())),
        areas=area_rows,
        occupations=[(c, t, int(lv)) for c, t, lv in _extract("occupations.csv.gz") if c in jobs],
        industries=[
            (c, n, int(lv)) for c, n, lv in _extract("industries.csv.gz") if c in industries
        ],
        extract=extract,
    )


def write_sqlite(path: Path, release: Release, *, meta: dict[str, str] | None = None) -> Path:
    db = sqlite3.connect(path)
    db.executescript(SCHEMA)
    for key, values in release.cells.items():
        cells = [values.get(f"{n:02d}", ("-", "")) for n in range(1, 18)]
        row = [key, *(v for v, _ in cells), *(f or None for _, f in cells)]
        db.execute(f"INSERT INTO cell VALUES ({', '.join('?' * 35)})", row)
    db.executemany("INSERT INTO area VALUES (?, ?, ?, ?)", release.areas)
    db.executemany("INSERT INTO occupation VALUES (?, ?, ?)", release.occupations)
    db.executemany("INSERT INTO industry VALUES (?, ?, ?)", release.industries)
    db.executemany("INSERT INTO footnote VALUES (?, ?)", FOOTNOTES.items())
    db.executemany("INSERT INTO meta VALUES (?, ?)", (meta or META).items())
    db.commit()
    db.close()
    return path


def data_lines(release: Release) -> list[str]:
    """oe.data.0.Current rows as BLS writes them: padded series_id and value, tab separated."""
    return [
        f"{key}{datatype}".ljust(30) + f"\t2025\tA01\t{value:>12}\t{note}"
        for key, values in release.cells.items()
        for datatype, (value, note) in sorted(values.items())
    ]


def write_flat(
    folder: Path,
    release: Release,
    *,
    lines: Sequence[str] | None = None,
    with_release: bool = True,
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    header = "series_id".ljust(30) + "\tyear\tperiod\t" + "value".rjust(12) + "\tfootnote_codes"
    data = [header, *(data_lines(release) if lines is None else lines)]
    (folder / "oe.data.0.Current").write_text("\n".join(data) + "\n")
    tables = {
        "oe.area": ["state_code\tarea_code\tareatype_code\tarea_name"]
        + [f"{s}\t{c}\t{t}\t{n}" for c, t, s, n in release.areas],
        "oe.occupation": ["occupation_code\toccupation_name\tdisplay_level\tselectable"]
        + [f"{c}\t{n}\t{lv}\tT" for c, n, lv in release.occupations],
        "oe.industry": ["industry_code\tindustry_name\tdisplay_level\tselectable"]
        + [f"{c}\t{n}\t{lv}\tT" for c, n, lv in release.industries],
        "oe.footnote": ["footnote_code\tfootnote_text"]
        + [f"{c}\t{t}" for c, t in FOOTNOTES.items()],
    }
    if with_release:
        tables["oe.release"] = ["release_date\tdescription", "2025A01\tMay 2025"]
    for name, rows in tables.items():
        (folder / name).write_text("\n".join(rows) + "\n")
    return folder


def gzip_file(path: Path) -> Path:
    target = path.with_name(path.name + ".gz")
    with path.open("rb") as plain, gzip.open(target, "wb") as packed:
        shutil.copyfileobj(plain, packed)
    return target


@pytest.fixture
def make_sqlite(tmp_path: Path, oews_release: Release) -> Callable[..., Path]:
    """Writes the release as an OEWS SQLite: `make_sqlite(name, meta=...)`."""

    def make(name: str = "oews.sqlite", **options: dict[str, str]) -> Path:
        return write_sqlite(tmp_path / name, oews_release, **options)

    return make


@pytest.fixture
def make_flat(tmp_path: Path, oews_release: Release) -> Callable[..., Path]:
    """Writes the release as BLS flat files: `make_flat(folder, lines=..., with_release=...)`."""

    def make(folder: str = "flat", **options: object) -> Path:
        return write_flat(tmp_path / folder, oews_release, **options)  # type: ignore[arg-type]

    return make


@pytest.fixture
def release_data_lines(oews_release: Release) -> list[str]:
    return data_lines(oews_release)


@pytest.fixture
def gzipped() -> Callable[[Path], Path]:
    return gzip_file
