"""The areas CSV: a branch of the tree per country, every bad line reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from pricing_adapters.importers.areas_csv import open_areas
from pricing_core.market.imports import ProblemLog
from pricing_core.market.model import Area, AreaKind

KNOWN = {"0000000", "0600000"}


def _write(tmp_path: Path, *lines: str, header: str = "code,name,kind,parent") -> Path:
    path = tmp_path / "areas.csv"
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def _problems(log: ProblemLog) -> list[tuple[int, str, str, str]]:
    return [(p.line, p.column, p.value, p.reason) for p in log.problems]


def test_a_country_branch(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "SG,Singapore,national,",
        "SG-01,Central Region,state,SG",
        "SG-01-M, Central Business District ,METRO,SG-01",
        "0600099,Rest of California,nonmetro,0600000",  # under a stored area
    )
    areas, problems = open_areas(path, known_areas=KNOWN)
    assert not problems
    assert areas == [
        Area(code="SG", name="Singapore", kind=AreaKind.NATIONAL),
        Area(code="SG-01", name="Central Region", kind=AreaKind.STATE, parent="SG"),
        Area(code="SG-01-M", name="Central Business District", kind=AreaKind.METRO, parent="SG-01"),
        Area(code="0600099", name="Rest of California", kind=AreaKind.NONMETRO, parent="0600000"),
    ]


def test_header_in_any_case_with_a_bom(tmp_path: Path) -> None:
    path = tmp_path / "areas.csv"
    path.write_bytes("\ufeffCode, Name ,KIND,Parent\nSG,Singapore,national,\n".encode())
    areas, problems = open_areas(path)
    assert not problems
    assert [a.code for a in areas] == ["SG"]


def test_missing_columns(tmp_path: Path) -> None:
    areas, problems = open_areas(_write(tmp_path, "SG,Singapore", header="code,name"))
    assert areas == []
    assert _problems(problems) == [
        (0, "kind", "", "missing required column"),
        (0, "parent", "", "missing required column"),
    ]


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "areas.csv"
    path.write_text("")
    areas, problems = open_areas(path)
    assert (areas, _problems(problems)) == ([], [(0, "", "areas.csv", "empty file")])


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        (
            "SG-01,Central,region,SG",
            ("kind", "region", "not one of national, state, metro, nonmetro"),
        ),
        ("SG-01,,state,SG", ("name", "", "required value is empty")),
        (",Central,state,SG", ("code", "", "required value is empty")),
        (
            "SG-01,Central,state,MY",
            ("parent", "MY", "unknown parent: not stored, not in this file"),
        ),
        ("SG-01,Central,state,", ("parent", "", "a state area needs a parent")),
        ("SG-01,Central,national,SG", ("parent", "SG", "a national area has no parent")),
        ("SG-01,Central,metro,SG", ("parent", "SG", "is a national; a metro's parent is a state")),
        ("SG-01,Central,state", ("", "SG-01", "has 3 fields; the header has 4")),
    ],
)
def test_bad_line(tmp_path: Path, line: str, problem: tuple[str, str, str]) -> None:
    path = _write(tmp_path, "SG,Singapore,national,", line, "SG-02,East Region,state,SG")
    areas, problems = open_areas(path, known_areas=KNOWN)
    assert _problems(problems) == [(3, *problem)]
    assert {"SG", "SG-02"} <= {a.code for a in areas}


def test_duplicate_code_names_the_first_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "SG,Singapore,national,", "SG,Singapore again,national,")
    areas, problems = open_areas(path)
    assert _problems(problems) == [(3, "code", "SG", "duplicate of line 2")]
    assert [a.name for a in areas] == ["Singapore"]


def test_parents_that_loop(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "XA,Area A,state,XB",
        "XB,Area B,state,XA",
        "XC,Area C,state,XC",
        "XD,Area D,metro,XA",  # hangs below the loop: not itself on it
    )
    _, problems = open_areas(path)
    loops = [(p.line, p.value, p.reason) for p in problems.problems if "loop" in p.reason]
    assert loops == [
        (2, "XB", "parents loop: XA → XB → XA"),
        (3, "XA", "parents loop: XB → XA → XB"),
        (4, "XC", "parents loop: XC → XC"),
    ]
