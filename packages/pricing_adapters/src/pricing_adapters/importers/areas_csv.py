"""Reads an areas CSV (`code, name, kind, parent`): other countries' branches of the tree."""

from __future__ import annotations

import csv
from collections.abc import Collection
from pathlib import Path

from pricing_adapters.importers.common import READ_ERRORS, open_text, read_failure
from pricing_core.market.imports import ProblemLog
from pricing_core.market.model import Area, AreaKind

__all__ = ["AREA_COLUMNS", "open_areas"]

AREA_COLUMNS = ("code", "name", "kind", "parent")
# The tree has fixed levels: national ← state ← metro / nonmetro.
PARENT_KIND = {
    AreaKind.STATE: AreaKind.NATIONAL,
    AreaKind.METRO: AreaKind.STATE,
    AreaKind.NONMETRO: AreaKind.STATE,
}
KIND_NAMES = frozenset(kind.value for kind in AreaKind)
KINDS = ", ".join(kind.value for kind in AreaKind)


def open_areas(
    path: str | Path, *, known_areas: Collection[str] = ()
) -> tuple[list[Area], ProblemLog]:
    """The file's areas, and every problem; save them only if there is none.

    A parent is an area in `known_areas` (the tree as stored) or one defined in the same
    file, whose kind must then be the level above. Redefining a known area updates it.
    """
    file = Path(path)
    problems = ProblemLog()
    try:
        with open_text(file, None) as text:
            records = [(number, row) for number, row in enumerate(csv.reader(text), start=1)]
    except READ_ERRORS as error:
        problems.add(0, "", file.name, read_failure(error))
        return [], problems
    except csv.Error as error:
        problems.add(0, "", file.name, f"not valid CSV ({error})")
        return [], problems
    records = [(number, row) for number, row in records if any(field.strip() for field in row)]
    if not records:
        problems.add(0, "", file.name, "empty file")
        return [], problems
    header = [name.strip().lower() for name in records[0][1]]
    for column in AREA_COLUMNS:
        if column not in header:
            problems.add(0, column, "", "missing required column")
    if problems:
        return [], problems
    areas: dict[str, tuple[int, Area]] = {}
    for number, row in records[1:]:
        area = _area(number, row, header, problems)
        if area is None:
            continue
        if area.code in areas:
            first = areas[area.code][0]
            problems.add(number, "code", area.code, f"duplicate of line {first}")
            continue
        areas[area.code] = (number, area)
    _check_parents(areas, set(known_areas), problems)
    return [area for _, area in areas.values()], problems


def _area(number: int, row: list[str], header: list[str], problems: ProblemLog) -> Area | None:
    if len(row) != len(header):
        reason = f"has {len(row)} fields; the header has {len(header)}"
        problems.add(number, "", row[0] if row else "", reason)
        return None
    values = {name: field.strip() for name, field in zip(header, row, strict=True)}
    before = problems.count
    for column in ("code", "name", "kind"):
        if not values[column]:
            problems.add(number, column, "", "required value is empty")
    kind = values["kind"].lower()
    if kind and kind not in KIND_NAMES:
        problems.add(number, "kind", values["kind"], f"not one of {KINDS}")
    parent = values["parent"] or None
    if kind == AreaKind.NATIONAL and parent is not None:
        problems.add(number, "parent", parent, "a national area has no parent")
    if kind and kind != AreaKind.NATIONAL and parent is None:
        problems.add(number, "parent", "", f"a {kind} area needs a parent")
    if problems.count != before:
        return None
    return Area(code=values["code"], name=values["name"], kind=AreaKind(kind), parent=parent)


def _check_parents(
    areas: dict[str, tuple[int, Area]], known: set[str], problems: ProblemLog
) -> None:
    for code, (number, area) in list(areas.items()):
        parent = area.parent
        if parent is None:
            continue
        if parent in areas:
            parent_kind = areas[parent][1].kind
            if parent_kind != PARENT_KIND[area.kind]:
                reason = f"is a {parent_kind}; a {area.kind}'s parent is a {PARENT_KIND[area.kind]}"
                problems.add(number, "parent", parent, reason)
            chain = _loop(code, areas)
            if chain:
                problems.add(number, "parent", parent, f"parents loop: {' → '.join(chain)}")
        elif parent not in known:
            problems.add(number, "parent", parent, "unknown parent: not stored, not in this file")


def _loop(start: str, areas: dict[str, tuple[int, Area]]) -> list[str]:
    """The parent chain from `start` back to itself, or [] if it ends (it may end outside)."""
    chain, seen = [start], {start}
    current = areas[start][1].parent
    while current is not None and current in areas:
        chain.append(current)
        if current == start:
            return chain
        if current in seen:
            return []  # a loop further up: reported at the areas that are on it
        seen.add(current)
        current = areas[current][1].parent
    return []
