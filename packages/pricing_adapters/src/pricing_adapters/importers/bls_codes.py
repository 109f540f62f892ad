"""The small code files beside BLS's OEWS data file: areas, occupations, industries, release."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from pricing_adapters.importers.common import READ_ERRORS, open_text, read_failure
from pricing_adapters.importers.oews import AREA_KINDS, oews_area
from pricing_core.market.imports import ProblemLog
from pricing_core.market.model import Area

__all__ = ["CODE_FILES", "Table", "code_level", "flat_areas", "read_table", "release_of"]

CODE_FILES = {
    "oe.area": ("area_code", "areatype_code", "state_code", "area_name"),
    "oe.occupation": ("occupation_code", "occupation_name"),
    "oe.industry": ("industry_code", "industry_name", "display_level"),
    "oe.footnote": ("footnote_code", "footnote_text"),
}
_RELEASE = re.compile(r"([0-9]{4})(A[0-9]{2})")

Table = list[tuple[int, dict[str, str]]]
"""A code file's rows: (line, {column: value stripped of its padding})."""


def _read_lines(path: Path) -> list[str]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older BLS code files are Windows-1252 (accented area names): read them as such.
        text = raw.decode("cp1252", errors="replace")
    return text.splitlines()


def read_table(path: Path, columns: tuple[str, ...], problems: ProblemLog) -> Table:
    """A small code file read whole: (line, {column: stripped value}) for every row."""
    if not path.is_file():
        problems.add(0, "", path.name, f"missing file {path.name} beside the data file")
        return []
    lines = _read_lines(path)
    header = [name.strip() for name in lines[0].split("\t")] if lines else []
    missing = [column for column in columns if column not in header]
    for column in missing:
        problems.add(0, column, path.name, f"no column {column} in {path.name}")
    if missing:
        return []
    table: Table = []
    for number, line in enumerate(lines[1:], start=2):
        fields = [field.strip() for field in line.split("\t")]
        if not line.strip():
            continue
        row = dict(zip(header, fields, strict=False))
        if any(column not in row for column in columns):
            reason = f"{path.name}: has {len(fields)} fields, the header has {len(header)}"
            problems.add(number, "", line.strip(), reason)
            continue
        table.append((number, row))
    return table


def release_of(data: Path, problems: ProblemLog) -> tuple[str, str]:
    """The release's year and period: from `oe.release`, else from the first data row."""
    release = data.parent / "oe.release"
    if release.is_file():
        lines = _read_lines(release)
        code = lines[1].split("\t")[0].strip() if len(lines) > 1 else ""
        found = _RELEASE.fullmatch(code)
        if found is None:
            problems.add(2, "release", code, "oe.release: not a release code like 2025A01")
            return "", ""
        return found.group(1), found.group(2)
    try:
        with open_text(data, None) as text:
            header = [name.strip() for name in text.readline().split("\t")]
            first = [field.strip() for field in text.readline().split("\t")]
    except READ_ERRORS as error:
        problems.add(0, "", data.name, read_failure(error))
        return "", ""
    if "year" not in header or "period" not in header or len(first) <= header.index("period"):
        problems.add(0, "", data.name, "empty file or no year / period columns")
        return "", ""
    return first[header.index("year")], first[header.index("period")]


def flat_areas(table: Table, problems: ProblemLog) -> Iterator[Area]:
    for number, row in table:
        kind = row["areatype_code"]
        if kind in AREA_KINDS:
            yield oews_area(row["area_code"], kind, row["state_code"], row["area_name"])
        else:
            problems.add(number, "areatype_code", kind, "oe.area: unknown area type (N, S, M)")


def code_level(row: dict[str, str]) -> int:
    level = row["display_level"]
    return int(level) if level.isdigit() else 0
