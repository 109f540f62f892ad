"""What the OEWS SQLite and the BLS flat files share: cell keys, areas, release, footnotes."""

from __future__ import annotations

import calendar
import re
from datetime import date
from decimal import Decimal

from pricing_core.market.model import ALL_INDUSTRIES, Area, AreaKind, Source, SourceKind

__all__ = [
    "AREA_KINDS",
    "DATATYPES",
    "DEFAULT_TOP_CODE",
    "FOOTNOTE_STATES",
    "in_scope",
    "oews_area",
    "oews_source",
    "reference_date",
    "soc_code",
    "top_code_of",
]

# The datatypes a cut keeps, in the order of CellReader's `fields` (value, footnote pairs):
# employment, wage RSE, then annual P10, P25, P50, P75, P90.
DATATYPES = ("01", "05", "11", "12", "13", "14", "15")
# First match wins: a top-coded value is reported as such even if other notes apply.
FOOTNOTE_STATES = (("5", "T"), ("4", "H"), ("8", "S"))
DEFAULT_TOP_CODE = Decimal(239200)
_TOP_CODE_TEXT = re.compile(r"\$([0-9][0-9,]*) per year")
# BLS names the release's reference month by its period: A01 is the May estimates.
_REFERENCE_MONTH = {"A01": 5}
AREA_KINDS = {"N": AreaKind.NATIONAL, "S": AreaKind.STATE, "M": AreaKind.METRO}


def in_scope(key: str) -> bool:
    """Pricing keeps every area's cross-industry cells and the national industry cells."""
    return key[3:4] == "N" or key[11:17] == ALL_INDUSTRIES


def soc_code(occupation: str) -> str:
    return f"{occupation[:2]}-{occupation[2:]}"


def oews_area(code: str, areatype: str, state: str, name: str) -> Area:
    """The tree: national ← states ← metros and nonmetros (of their primary state)."""
    kind = AREA_KINDS[areatype]
    if kind is AreaKind.NATIONAL:
        return Area(code=code, name=name, kind=kind)
    if kind is AreaKind.STATE:
        return Area(code=code, name=name, kind=kind, parent="0000000")
    if "nonmetropolitan" in name.lower():
        kind = AreaKind.NONMETRO
    return Area(code=code, name=name, kind=kind, parent=f"{state}00000")


def top_code_of(footnote: str | None) -> Decimal:
    """The annual top-code threshold stated by footnote 5 ("... or $239,200 per year.")."""
    found = _TOP_CODE_TEXT.search(footnote or "")
    return Decimal(found.group(1).replace(",", "")) if found else DEFAULT_TOP_CODE


def reference_date(year: str, period: str) -> date | None:
    """The effective date of a release: the 12th of its reference month (None: unknown)."""
    month = _REFERENCE_MONTH.get(period)
    if month is None or not re.fullmatch(r"[0-9]{4}", year):
        return None
    return date(int(year), month, 12)


def oews_source(year: str, period: str, name: str | None, top_code: Decimal) -> Source:
    month = _REFERENCE_MONTH.get(period)
    when = f"{calendar.month_name[month]} {year}" if month else f"{year} {period}"
    return Source(
        name=name or f"oews-{year}",
        title=f"BLS Occupational Employment and Wage Statistics, {when}",
        kind=SourceKind.PUBLIC,
        top_code=top_code,
    )
