"""One OEWS cell (an area × industry × occupation) as a cut row, or why it cannot be one."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from itertools import pairwise

import attrs

from pricing_adapters.importers.common import MAX_COUNT, MAX_DIGITS
from pricing_adapters.importers.oews import AREA_KINDS, FOOTNOTE_STATES, soc_code
from pricing_adapters.importers.records import CutRow
from pricing_core.market.imports import ProblemLog

__all__ = ["CellReader", "Locate"]

PERCENTILE_NAMES = ("P10", "P25", "P50", "P75", "P90")

Locate = Callable[[int | None], tuple[int, str]]
"""Where a cell's datatype (its index in DATATYPES; None: the key) sits: line and column."""


def _state(footnotes: str | None) -> str:
    for code, state in FOOTNOTE_STATES:
        if footnotes and code in footnotes:
            return state
    return "S"  # not published and no reason given: treat as not released


@attrs.define(kw_only=True)
class CellReader:
    """Turns one cell's values into a CutRow, or records why it cannot (and returns None).

    Empty `areas` / `occupations` / `industries` skip that reference check.
    """

    effective: date
    problems: ProblemLog
    areas: Collection[str] = ()
    occupations: Collection[str] = ()
    industries: Collection[str] = ()
    _key: str = ""

    def row(self, key: str, fields: Sequence[str | None], locate: Locate) -> CutRow | None:
        """The cut of cell `key`; `fields` holds a value and a footnote per DATATYPES entry."""
        try:
            row = self._clean_row(key, fields)
        except (ArithmeticError, ValueError):
            row = None
        return row if row is not None else self._checked_row(key, fields, locate)

    def _clean_row(self, key: str, fields: Sequence[str | None]) -> CutRow | None:
        """The fast path for a cell without a fault; None (or an error) sends it to the checks.

        Most of an import's time is spent here, so it checks in bulk what the careful path
        checks one value at a time.
        """
        area, industry, occupation = key[4:11], key[11:17], key[17:23]
        if not (
            len(key) == 23
            and key[:3] == "OEU"
            and key[3] in AREA_KINDS
            and (not self.areas or area in self.areas)
            and (not self.industries or industry in self.industries)
            and (not self.occupations or occupation in self.occupations)
        ):
            return None
        values = [Decimal(text) if text and text != "-" else None for text in fields[4:14:2]]
        present = [value for value in values if value is not None]
        for low, high in pairwise(present):
            if not low <= high:
                return None
        if present and not (present[0] > 0 and present[-1].is_finite()):
            return None
        employment, rse = fields[0], fields[2]
        count = int(employment) if employment and employment != "-" else None
        wage_rse = Decimal(rse) if rse and rse != "-" else None
        if (count is not None and count < 0) or (
            wage_rse is not None and not (wage_rse.is_finite() and wage_rse >= 0)
        ):
            return None
        states = (
            "VVVVV"
            if len(present) == 5
            else "".join(
                "V" if value is not None else _state(note)
                for value, note in zip(values, fields[5:15:2], strict=True)
            )
        )
        p10, p25, p50, p75, p90 = values
        return CutRow(
            soc_code(occupation), area, industry, "USD", self.effective,
            p10, p25, p50, p75, p90, states, count, None, None, wage_rse,
        )  # fmt: skip

    def _checked_row(self, key: str, fields: Sequence[str | None], locate: Locate) -> CutRow | None:
        before = self.problems.count
        self._key = key
        if len(key) != 23 or not key.startswith("OEU") or key[3] not in AREA_KINDS:
            self._add(locate, None, key, "not an OEWS cell key (OEU, N/S/M, 7+6+6 digits)")
            return None
        area, industry, occupation = key[4:11], key[11:17], key[17:23]
        for codes, code, what in (
            (self.areas, area, "area"),
            (self.industries, industry, "industry"),
            (self.occupations, occupation, "occupation"),
        ):
            if codes and code not in codes:
                self._add(locate, None, key, f"unknown {what} {code}")
        employment = self._number(fields, 0, locate, whole=True, positive=False)
        rse = self._number(fields, 1, locate, whole=False, positive=False)
        values: list[Decimal | None] = []
        states = []
        for slot in range(2, 7):
            text = fields[2 * slot]
            if text is None or text in ("", "-"):
                values.append(None)
                states.append(_state(fields[2 * slot + 1]))
            else:
                values.append(self._number(fields, slot, locate, whole=False, positive=True))
                states.append("V")
        self._check_order(values, fields, locate)
        if self.problems.count != before:
            return None
        p10, p25, p50, p75, p90 = values
        count = None if employment is None else int(employment)
        return CutRow(
            soc_code(occupation), area, industry, "USD", self.effective,
            p10, p25, p50, p75, p90, "".join(states), count, None, None, rse,
        )  # fmt: skip

    def _number(
        self,
        fields: Sequence[str | None],
        slot: int,
        locate: Locate,
        *,
        whole: bool,
        positive: bool,
    ) -> Decimal | None:
        text = fields[2 * slot]
        if text is None or text in ("", "-"):
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = Decimal("NaN")
        if not value.is_finite() or (whole and value != value.to_integral_value()):
            self._add(locate, slot, text, "not a whole number" if whole else "not a number")
        elif value.adjusted() > MAX_DIGITS or (whole and value > MAX_COUNT):
            self._add(locate, slot, text, "too large")
        elif value <= 0 if positive else value < 0:
            self._add(
                locate, slot, text, "must be positive" if positive else "must not be negative"
            )
        else:
            return value
        return None

    def _check_order(
        self, values: list[Decimal | None], fields: Sequence[str | None], locate: Locate
    ) -> None:
        last: tuple[int, Decimal] | None = None
        for index, value in enumerate(values):
            if value is None:
                continue
            if last is not None and value < last[1]:
                below = PERCENTILE_NAMES[last[0]]
                reason = f"{PERCENTILE_NAMES[index]} ({value}) is below {below} ({last[1]})"
                self._add(locate, index + 2, fields[2 * (index + 2)], reason)
            last = (index, value)

    def _add(self, locate: Locate, slot: int | None, value: str | None, reason: str) -> None:
        line, column = locate(slot)
        self.problems.add(line, column, value, f"{reason} (cell {self._key[3:23]})")
