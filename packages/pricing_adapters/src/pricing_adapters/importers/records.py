"""The row shape every importer yields and every store loads, in the cuts table's column order."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from typing import NamedTuple

import attrs

from pricing_core.market.imports import ProblemLog
from pricing_core.market.model import Area, Industry, Source

__all__ = ["STATE_CODES", "CutRow", "JobTitle", "Progress", "ReleaseFile"]

# One character per percentile in `CutRow.states`, P10 to P90.
STATE_CODES = {"V": "value", "T": "top-coded", "S": "suppressed", "H": "hourly only"}

Progress = Callable[[int], None]
"""Called with the number of bytes read since the last call (drives a progress bar)."""


class CutRow(NamedTuple):
    """One cut of a version. Values are annual, in `currency`; `states` is e.g. "VVVVT"."""

    job_code: str
    area_code: str
    industry_code: str
    currency: str
    effective_date: date
    p10: Decimal | None
    p25: Decimal | None
    p50: Decimal | None
    p75: Decimal | None
    p90: Decimal | None
    states: str
    employment: int | None
    incumbents: int | None
    organizations: int | None
    wage_rse: Decimal | None


class JobTitle(NamedTuple):
    job_code: str
    title: str


@attrs.define(kw_only=True)
class ReleaseFile:
    """An opened import: what it declares, and its rows as a single-use stream.

    `rows` validates while it streams: bad values go to `problems` and their rows are not
    yielded. The loader consumes every row, then rejects the whole file if `problems` is
    not empty, so nothing of a bad file is ever committed.
    """

    source: Source
    label: str
    sha256: str
    rows: Iterator[CutRow]
    problems: ProblemLog
    total_bytes: int
    areas: tuple[Area, ...] = ()
    industries: tuple[Industry, ...] = ()
    # Job titles are collected while rows stream, so read them after `rows` is exhausted.
    jobs: dict[str, str] = attrs.field(factory=dict)
    close: Callable[[], None] = lambda: None
