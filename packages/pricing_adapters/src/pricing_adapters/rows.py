"""Stored cut rows (values plus a states string such as "VVVVT") as the domain's Cut."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from pricing_core.market.model import PERCENTILES, Cut, MissingReason, Percentile

__all__ = ["cut_from_values"]

_COLUMNS = ("p10", "p25", "p50", "p75", "p90")
_MISSING = {"S": MissingReason.SUPPRESSED, "H": MissingReason.HOURLY_ONLY}


def _percentile(state: str, value: Decimal | None) -> Percentile:
    if state == "T":
        return Percentile.top_coded(value)
    if state in _MISSING or value is None:
        return Percentile.missing(_MISSING.get(state, MissingReason.SUPPRESSED))
    return Percentile.of(value)


def cut_from_values(row: Mapping[Any, Any], source: str, version: str) -> Cut:
    """A cut from a mapping with the cuts table's columns (a DB row or a CutRow)."""
    states = row["states"]
    return Cut(
        source=source,
        version=version,
        job_code=row["job_code"],
        area_code=row["area_code"],
        industry_code=row["industry_code"],
        currency=row["currency"],
        effective_date=row["effective_date"],
        percentiles={
            p: _percentile(states[i], row[column])
            for i, (p, column) in enumerate(zip(PERCENTILES, _COLUMNS, strict=True))
        },
        employment=row["employment"],
        organizations=row["organizations"],
        wage_rse=row["wage_rse"],
    )
