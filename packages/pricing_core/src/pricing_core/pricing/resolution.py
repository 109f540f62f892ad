"""Step 1 and 2: find each match's eligible cut, walking up industries and areas, and its GD."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import attrs

from pricing_core.market.model import (
    ALL_INDUSTRIES,
    ALL_OCCUPATIONS,
    Area,
    AreaKind,
    Cut,
    PercentileKind,
    Source,
)
from pricing_core.market.ports import MarketReader
from pricing_core.pricing.policy import PricingPolicy
from pricing_core.pricing.rules import ineligibility

__all__ = ["Resolved", "area_chain", "geographic_differential", "resolve_cut"]

MAX_AREA_DEPTH = 8


@attrs.frozen(kw_only=True)
class Resolved:
    """The eligible cut with its fallback notes, or why there is none."""

    cut: Cut | None
    notes: tuple[str, ...] = ()
    excluded: str | None = None


def area_chain(market: MarketReader, area: Area) -> Iterator[Area]:
    """The area, then its parents up to the national area."""
    current: Area | None = area
    for _ in range(MAX_AREA_DEPTH):
        if current is None:
            return
        yield current
        current = market.area(current.parent) if current.parent else None


def resolve_cut(
    market: MarketReader,
    source: Source,
    job_code: str,
    area: Area,
    industry: str,
    policy: PricingPolicy,
    pricing_date: date,
) -> Resolved:
    """The first eligible cut: the industry cut, then cross-industry, area by area upwards."""
    version = source.active_version or ""
    first_reason: str | None = None
    industries = [industry, ALL_INDUSTRIES] if industry != ALL_INDUSTRIES else [industry]
    for depth, place in enumerate(area_chain(market, area)):
        for candidate in industries:
            cut = market.cut(source.name, version, job_code, place.code, candidate)
            if cut is None:
                continue
            reason = ineligibility(cut, source, policy, pricing_date)
            if reason is not None:
                first_reason = first_reason or reason
                continue
            notes = []
            if depth > 0:
                national = place.kind is AreaKind.NATIONAL
                notes.append("geo_fallback_national" if national else "geo_fallback_state")
            if candidate != industry:
                notes.append("industry_fallback")
            return Resolved(cut=cut, notes=tuple(notes))
    return Resolved(cut=None, excluded=first_reason or "no_data")


def _all_occupations_median(market: MarketReader, source: Source, area_code: str) -> Decimal | None:
    cut = market.cut(
        source.name, source.active_version or "", ALL_OCCUPATIONS, area_code, ALL_INDUSTRIES
    )
    if cut is None:
        return None
    p50 = cut.percentiles[50]
    return p50.value if p50.kind is PercentileKind.VALUE else None


def geographic_differential(
    market: MarketReader, source: Source, requested: str, used: str
) -> Decimal | None:
    """M(requested) / M(used) from the source's all-occupations medians; None when unknown."""
    if requested == used:
        return Decimal(1)
    here = _all_occupations_median(market, source, requested)
    there = _all_occupations_median(market, source, used)
    if here is None or there is None:
        return None
    return here / there
