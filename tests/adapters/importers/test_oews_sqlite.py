"""The OEWS SQLite importer: rows like the shipped extract, and every bad file reported."""

from __future__ import annotations

import hashlib
import sqlite3
import tempfile
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from pricing_adapters.importers.oews_sqlite import open_oews_sqlite
from pricing_adapters.importers.records import CutRow, ReleaseFile
from pricing_core.market.model import AreaKind, SourceKind

REAL = (
    Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "oews" / "oews-2025.sqlite.gz"
).resolve()
SAN_JOSE_SWE = "OEUM0041940000000151252"


def _rows(release: ReleaseFile) -> list[CutRow]:
    return list(release.rows)


def _problems(release: ReleaseFile) -> list[tuple[int, str, str, str]]:
    return [(p.line, p.column, p.value, p.reason) for p in release.problems.problems]


def _set(path: Path, sql: str, *args: str) -> Path:
    db = sqlite3.connect(path)
    db.execute(sql, args)
    db.commit()
    db.close()
    return path


def _position(path: Path, key: str) -> int:
    db = sqlite3.connect(path)
    keys = [k for (k,) in db.execute("SELECT key FROM cell ORDER BY key")]
    db.close()
    return keys.index(key) + 1


def test_rows_match_the_shipped_extract(make_sqlite: Callable[..., Path], oews_release) -> None:
    release = open_oews_sqlite(make_sqlite())
    rows = {(r.job_code.replace("-", ""), r.area_code, r.industry_code): r for r in _rows(release)}
    assert not release.problems
    # The metro industry cell is out of scope: one row per picked extract cell, no more.
    assert len(rows) == len(oews_release.extract)
    for job, area, industry, employment, rse, *cells in oews_release.extract.values():
        row = rows[job, area, industry]
        assert row.job_code == f"{job[:2]}-{job[2:]}"
        assert row.employment == (int(employment) if employment else None)
        assert row.wage_rse == (Decimal(rse) if rse else None)
        pay = [row.p10, row.p25, row.p50, row.p75, row.p90]
        assert [str(v) if v is not None else None for v in pay] == [
            c if c.isdigit() else None for c in cells
        ]
        assert row.states == "".join(c if not c.isdigit() else "V" for c in cells)
        assert (row.currency, row.effective_date) == ("USD", date(2025, 5, 12))
        assert (row.incumbents, row.organizations) == (None, None)


def test_release_declares_source_version_areas_and_jobs(make_sqlite: Callable[..., Path]) -> None:
    path = make_sqlite()
    release = open_oews_sqlite(path)
    assert release.source.name == "oews-2025"
    assert release.source.title == "BLS Occupational Employment and Wage Statistics, May 2025"
    assert release.source.kind is SourceKind.PUBLIC
    assert release.source.top_code == Decimal(239200)
    assert release.label == "2025A01"
    assert release.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert release.total_bytes == path.stat().st_size
    areas = {a.code: a for a in release.areas}
    assert (areas["0000000"].kind, areas["0000000"].parent) == (AreaKind.NATIONAL, None)
    assert (areas["0600000"].kind, areas["0600000"].parent) == (AreaKind.STATE, "0000000")
    assert (areas["0041940"].kind, areas["0041940"].parent) == (AreaKind.METRO, "0600000")
    assert (areas["0100001"].kind, areas["0100001"].parent) == (AreaKind.NONMETRO, "0100000")
    assert release.jobs["15-1252"] == "Software Developers"
    assert {i.code for i in release.industries} >= {"000000", "44--46", "512200"}
    release.close()


def test_source_and_label_can_be_given(make_sqlite: Callable[..., Path]) -> None:
    release = open_oews_sqlite(make_sqlite(), source="oews-test", label="first")
    assert (release.source.name, release.label) == ("oews-test", "first")


def test_plain_file_progress_follows_the_rows(make_sqlite: Callable[..., Path]) -> None:
    path = make_sqlite()
    calls: list[int] = []
    release = open_oews_sqlite(path, progress=calls.append)
    assert calls == []  # nothing read yet
    _rows(release)
    assert sum(calls) == path.stat().st_size


def test_gz_file_reads_the_same_and_close_removes_the_copy(
    make_sqlite: Callable[..., Path],
    gzipped: Callable[[Path], Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    plain = make_sqlite()
    packed = gzipped(plain)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    calls: list[int] = []
    release = open_oews_sqlite(packed, progress=calls.append)
    assert sum(calls) == packed.stat().st_size  # compressed bytes, while decompressing
    assert len(list(scratch.iterdir())) == 1
    assert _rows(release) == _rows(open_oews_sqlite(plain))
    assert release.sha256 == hashlib.sha256(packed.read_bytes()).hexdigest()
    assert release.total_bytes == packed.stat().st_size
    release.close()
    assert list(scratch.iterdir()) == []


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("truncated", "truncated gzip file"),
        ("not gzip", "not a valid gzip file"),
    ],
)
def test_a_bad_gzip_is_a_file_problem(
    make_sqlite: Callable[..., Path],
    gzipped: Callable[[Path], Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    content: str,
    reason: str,
) -> None:
    packed = gzipped(make_sqlite())
    if content == "truncated":
        packed.write_bytes(packed.read_bytes()[: packed.stat().st_size // 2])
    else:
        packed.write_bytes(b"just some text, not gzip at all")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    release = open_oews_sqlite(packed)
    assert _rows(release) == []
    [(line, column, value, why)] = _problems(release)
    assert (line, column, value) == (0, "", packed.name)
    assert why.startswith(reason)
    assert list(scratch.iterdir()) == []  # the half-written copy is gone


def test_not_a_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "oews.sqlite"
    path.write_text("series_id\tyear\n")
    release = open_oews_sqlite(path)
    assert _rows(release) == []
    assert _problems(release) == [(0, "", "oews.sqlite", "not a SQLite file")]


def test_no_such_file(tmp_path: Path) -> None:
    release = open_oews_sqlite(tmp_path / "missing.sqlite")
    assert _rows(release) == []
    assert [(p.line, p.reason) for p in release.problems.problems] == [(0, "no such file")]


def test_missing_table_and_column(make_sqlite: Callable[..., Path]) -> None:
    path = _set(make_sqlite(), "DROP TABLE area")
    _set(path, "ALTER TABLE cell DROP COLUMN f13")
    release = open_oews_sqlite(path)
    assert _rows(release) == []
    assert _problems(release) == [
        (0, "f13", "oews.sqlite", "no column f13 in table cell"),
        (0, "area", "oews.sqlite", "no table area"),
    ]


def test_unknown_period(make_sqlite: Callable[..., Path]) -> None:
    path = make_sqlite(meta={"data_year": "2025", "period": "Q3", "release_code": "2025Q3"})
    release = open_oews_sqlite(path)
    assert _rows(release) == []
    [(line, column, value, reason)] = _problems(release)
    assert (line, column, value) == (0, "meta", "2025 Q3")
    assert "unknown data_year / period" in reason


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("v13", "abc", "not a number"),
        ("v11", "0", "must be positive"),
        ("v11", "-5", "must be positive"),
        ("v12", "100", "P25 (100) is below P10 (138420)"),
        ("v01", "12.5", "not a whole number"),
        ("v05", "-1", "must not be negative"),
    ],
)
def test_bad_value_is_reported_and_its_cell_left_out(
    make_sqlite: Callable[..., Path], column: str, value: str, reason: str
) -> None:
    path = _set(make_sqlite(), f"UPDATE cell SET {column} = ? WHERE key = ?", value, SAN_JOSE_SWE)
    release = open_oews_sqlite(path)
    rows = _rows(release)
    assert _problems(release) == [
        (_position(path, SAN_JOSE_SWE), column, value, f"{reason} (cell {SAN_JOSE_SWE[3:]})")
    ]
    assert ("15-1252", "0041940") not in {(r.job_code, r.area_code) for r in rows}
    assert len(rows) == 7  # the other cells still stream, for a report of every bad one


def test_cell_of_an_unknown_area(make_sqlite: Callable[..., Path]) -> None:
    path = _set(make_sqlite(), "DELETE FROM area WHERE area_code = '0041940'")
    release = open_oews_sqlite(path)
    rows = _rows(release)
    assert [(p.column, p.value, p.reason) for p in release.problems.problems] == [
        ("key", SAN_JOSE_SWE, f"unknown area 0041940 (cell {SAN_JOSE_SWE[3:]})")
    ]
    assert "0041940" not in {r.area_code for r in rows}


@pytest.mark.skipif(not REAL.is_file(), reason=f"no real OEWS file at {REAL}")
def test_the_real_release() -> None:
    release = open_oews_sqlite(REAL)
    try:
        count, san_jose, grand_rapids = 0, None, None
        for row in release.rows:
            count += 1
            if row.industry_code == "000000" and row.area_code == "0041940":
                san_jose = row if row.job_code == "15-1252" else san_jose
            if row.industry_code == "000000" and row.area_code == "0024340":
                grand_rapids = row if row.job_code == "29-1211" else grand_rapids
        assert not release.problems
        assert count == 370_172
        assert san_jose is not None
        assert san_jose.p50 == Decimal(213110)
        assert grand_rapids is not None
        assert (grand_rapids.states[4], grand_rapids.p90) == ("T", None)
        assert (release.source.name, release.label) == ("oews-2025", "2025A01")
        assert len(release.jobs) == 1104
        assert len(release.areas) == 583
    finally:
        release.close()
