"""The BLS flat-file importer: the same rows as the SQLite importer, and every bad line."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from pricing_adapters.importers.bls_flat import open_bls_flat
from pricing_adapters.importers.oews_sqlite import open_oews_sqlite
from pricing_adapters.importers.records import CutRow, ReleaseFile

SAN_JOSE_SWE = "OEUM0041940000000151252"


def _rows(release: ReleaseFile) -> list[CutRow]:
    return list(release.rows)


def _problems(release: ReleaseFile) -> list[tuple[int, str, str, str]]:
    return [(p.line, p.column, p.value, p.reason) for p in release.problems.problems]


def _line_of(lines: list[str], series: str) -> int:
    """The file line (header = 1) of a data row."""
    return next(n for n, line in enumerate(lines, start=2) if line.startswith(series))


def test_flat_files_and_sqlite_give_the_same_release(
    make_flat: Callable[..., Path], make_sqlite: Callable[..., Path]
) -> None:
    flat = open_bls_flat(make_flat())
    sqlite = open_oews_sqlite(make_sqlite())
    assert _rows(flat) == _rows(sqlite)
    assert len(_rows(open_bls_flat(make_flat("again")))) == 8
    assert not flat.problems
    assert not sqlite.problems
    assert flat.source == sqlite.source
    assert flat.label == sqlite.label == "2025A01"
    assert flat.areas == sqlite.areas
    assert flat.industries == sqlite.industries
    assert flat.jobs == sqlite.jobs


def test_data_file_names_the_release_without_oe_release(make_flat: Callable[..., Path]) -> None:
    folder = make_flat(with_release=False)
    release = open_bls_flat(folder / "oe.data.0.Current", source="oews-x")
    assert (release.source.name, release.label) == ("oews-x", "2025A01")
    assert release.source.title.endswith("May 2025")
    assert len(_rows(release)) == 8


def test_checksum_size_and_progress_are_the_data_file_s(make_flat: Callable[..., Path]) -> None:
    data = make_flat() / "oe.data.0.Current"
    calls: list[int] = []
    release = open_bls_flat(data.parent, progress=calls.append)
    _rows(release)
    assert release.sha256 == hashlib.sha256(data.read_bytes()).hexdigest()
    assert release.total_bytes == data.stat().st_size == sum(calls)


def test_gzipped_data_file(make_flat: Callable[..., Path], gzipped: Callable[..., Path]) -> None:
    data = make_flat() / "oe.data.0.Current"
    expected = _rows(open_bls_flat(data))
    packed = gzipped(data)
    data.unlink()
    assert _rows(open_bls_flat(packed.parent)) == expected


def test_truncated_gzip_data_file(
    make_flat: Callable[..., Path], gzipped: Callable[..., Path]
) -> None:
    data = make_flat() / "oe.data.0.Current"
    packed = gzipped(data)
    data.unlink()
    packed.write_bytes(packed.read_bytes()[:-30])
    release = open_bls_flat(packed.parent)
    _rows(release)
    assert (0, "", packed.name, "truncated gzip file") in _problems(release)


def test_missing_data_file(tmp_path: Path) -> None:
    release = open_bls_flat(tmp_path)
    assert _rows(release) == []
    assert _problems(release) == [(0, "", str(tmp_path), "no data file oe.data.0.Current")]


def test_missing_code_file_and_column(make_flat: Callable[..., Path]) -> None:
    folder = make_flat()
    (folder / "oe.footnote").unlink()
    area = folder / "oe.area"
    area.write_text(area.read_text().replace("areatype_code", "kind", 1))
    release = open_bls_flat(folder)
    assert _rows(release) == []
    assert _problems(release) == [
        (0, "areatype_code", "oe.area", "no column areatype_code in oe.area"),
        (0, "", "oe.footnote", "missing file oe.footnote beside the data file"),
    ]


def test_empty_data_file(make_flat: Callable[..., Path]) -> None:
    folder = make_flat()
    (folder / "oe.data.0.Current").write_text("")
    release = open_bls_flat(folder)
    assert _rows(release) == []
    assert (0, "series_id", "oe.data.0.Current", "empty file") in _problems(release)


def test_missing_data_column(make_flat: Callable[..., Path], release_data_lines) -> None:
    lines = [line.rsplit("\t", 1)[0] for line in release_data_lines]
    folder = make_flat(lines=lines)
    data = folder / "oe.data.0.Current"
    data.write_text(data.read_text().replace("\tfootnote_codes", "", 1))
    release = open_bls_flat(folder)
    assert _rows(release) == []
    assert _problems(release) == [
        (0, "footnote_codes", "oe.data.0.Current", "no column footnote_codes")
    ]


def _replace(lines: list[str], series: str, field: int, value: str) -> list[str]:
    changed = []
    for line in lines:
        if line.startswith(series):
            parts = line.split("\t")
            parts[field] = value
            line = "\t".join(parts)
        changed.append(line)
    return changed


@pytest.mark.parametrize(
    ("datatype", "value", "reason"),
    [
        ("13", "abc", "not a number"),
        ("11", "0", "must be positive"),
        ("12", "1000", "P25 (1000) is below P10 (138420)"),
        ("01", "-3", "must not be negative"),
    ],
)
def test_bad_value_names_its_line(
    make_flat: Callable[..., Path],
    release_data_lines: list[str],
    datatype: str,
    value: str,
    reason: str,
) -> None:
    series = SAN_JOSE_SWE + datatype
    lines = _replace(release_data_lines, series, 3, f"  {value}")
    release = open_bls_flat(make_flat(lines=lines))
    rows = _rows(release)
    line = _line_of(lines, series)
    assert _problems(release) == [(line, "value", value, f"{reason} (cell {SAN_JOSE_SWE[3:]})")]
    assert len(rows) == 7
    assert "0041940" not in {r.area_code for r in rows if r.job_code == "15-1252"}


def test_row_of_another_release(make_flat: Callable[..., Path], release_data_lines) -> None:
    series = SAN_JOSE_SWE + "13"
    lines = _replace(release_data_lines, series, 1, "2024")
    release = open_bls_flat(make_flat(lines=lines))
    assert len(_rows(release)) == 7
    assert _problems(release) == [
        (_line_of(lines, series), "year", "2024A01", "not of release 2025A01")
    ]


def test_a_row_with_too_few_fields(make_flat: Callable[..., Path], release_data_lines) -> None:
    lines = [*release_data_lines[:3], "OEUM0041940000000151252", *release_data_lines[3:]]
    release = open_bls_flat(make_flat(lines=lines))
    _rows(release)
    assert _problems(release) == [(5, "", "OEUM0041940000000151252", "has 1 fields, expected 5")]


def test_a_bad_series_id(make_flat: Callable[..., Path], release_data_lines) -> None:
    lines = [*release_data_lines, "XYZ123\t2025\tA01\t5\t"]
    release = open_bls_flat(make_flat(lines=lines))
    _rows(release)
    line = len(lines) + 1
    assert (line, "series_id", "XYZ123", "not an OEWS series id (25 characters)") in _problems(
        release
    )


def test_a_repeated_row(make_flat: Callable[..., Path], release_data_lines) -> None:
    first = _line_of(release_data_lines, SAN_JOSE_SWE + "13")
    lines = list(release_data_lines)
    lines.insert(first - 1, lines[first - 2])  # the P50 row twice, one after the other
    release = open_bls_flat(make_flat(lines=lines))
    rows = _rows(release)
    assert _problems(release) == [
        (first + 1, "series_id", SAN_JOSE_SWE + "13", f"repeats line {first}")
    ]
    assert len(rows) == 7


def test_a_cell_split_in_two_is_reported_not_buffered(
    make_flat: Callable[..., Path], release_data_lines: list[str]
) -> None:
    # One San Jose row moved after the next cell: the cell's rows are no longer adjacent.
    at = _line_of(release_data_lines, SAN_JOSE_SWE + "15") - 2
    moved = release_data_lines.pop(at)
    next_cell = (
        at
        + 1
        + next(
            i for i, line in enumerate(release_data_lines[at:]) if not line.startswith(SAN_JOSE_SWE)
        )
    )
    release_data_lines.insert(next_cell, moved)
    release = open_bls_flat(make_flat(lines=release_data_lines))
    _rows(release)
    [(line, column, value, reason)] = _problems(release)
    assert (line, column, value) == (next_cell + 2, "series_id", SAN_JOSE_SWE + "15")
    assert reason.startswith("out of order after OEUM0041940541500151252")
    assert "a cell's rows must be adjacent" in reason


def test_unknown_area_type_in_oe_area(make_flat: Callable[..., Path]) -> None:
    folder = make_flat()
    area = folder / "oe.area"
    lines = area.read_text().splitlines()
    line = next(n for n, text in enumerate(lines) if "\t0041940\t" in text)
    lines[line] = lines[line].replace("\tM\t", "\tX\t")
    area.write_text("\n".join(lines) + "\n")
    release = open_bls_flat(folder)
    rows = _rows(release)
    reason = "oe.area: unknown area type (N, S, M)"
    assert _problems(release)[0] == (line + 1, "areatype_code", "X", reason)
    # Its cells then name an area that is not defined: reported too, and left out.
    assert "0041940" not in {r.area_code for r in rows}
    assert "unknown area 0041940" in _problems(release)[1][3]
