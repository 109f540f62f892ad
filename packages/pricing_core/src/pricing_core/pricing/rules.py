"""The rule book's arithmetic as pure functions over Decimal (pricing-method.md, steps 1-8)."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from pricing_core.errors import PercentileUnavailable
from pricing_core.market.model import Cut, PercentileKind, Source, SourceKind
from pricing_core.pricing.model import Contribution, SalaryRange
from pricing_core.pricing.policy import PricingPolicy

__all__ = [
    "DAYS_PER_YEAR",
    "add_months",
    "aging_factor",
    "composite",
    "ineligibility",
    "interpolate",
    "round_half_up",
    "salary_range",
    "usable_values",
]

DAYS_PER_YEAR = Decimal("365.25")


def round_half_up(value: Decimal, increment: Decimal = Decimal(1)) -> Decimal:
    """Round to a multiple of `increment`, halves away from zero."""
    steps = (value / increment).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return steps * increment


def add_months(day: date, months: int) -> date:
    """Calendar months later (earlier when negative); the day is clamped to the month's end."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def aging_factor(rate: Decimal, days: int) -> Decimal:
    """`(1 + rate) ** (days / 365.25)`, compounded; negative days age backwards."""
    if days == 0:
        return Decimal(1)
    return (Decimal(1) + rate) ** (Decimal(days) / DAYS_PER_YEAR)


def ineligibility(
    cut: Cut, source: Source, policy: PricingPolicy, pricing_date: date
) -> str | None:
    """Why a cut may not be used, or None when it is eligible (step 1)."""
    p50 = cut.percentiles[50]
    if 50 not in usable_values(cut, source.top_code):
        return str(p50.reason or "suppressed")
    if (
        source.kind is SourceKind.SURVEY
        and cut.organizations is not None
        and cut.organizations < policy.min_organizations
    ):
        return "below_minimum_sample"
    if add_months(cut.effective_date, policy.max_age_months) < pricing_date:
        return "too_old"
    return None


def usable_values(cut: Cut, top_code: Decimal | None) -> dict[int, tuple[Decimal, bool]]:
    """Each usable percentile's value and whether it is only a lower bound.

    A top-coded bound is the largest of the published threshold, the bound the cut carries and
    the nearest lower usable percentile; a bound with none of those is unusable.
    """
    values: dict[int, tuple[Decimal, bool]] = {}
    below = Decimal(0)
    for p in sorted(cut.percentiles):
        state = cut.percentiles[p]
        if state.kind is PercentileKind.VALUE and state.value is not None:
            values[p] = (state.value, False)
            below = state.value
        elif state.kind is PercentileKind.LOWER_BOUND:
            bound = max(top_code or Decimal(0), state.value or Decimal(0), below)
            if bound > 0:
                values[p] = (bound, True)
                below = bound
    return values


def composite(
    contributions: Iterable[Contribution],
) -> tuple[dict[int, Decimal], frozenset[int]]:
    """Weighted mean per percentile over the cuts where it is usable (step 5)."""
    totals: dict[int, Decimal] = {}
    weights: dict[int, Decimal] = {}
    bounds: set[int] = set()
    for item in contributions:
        if item.weight is None:
            continue
        for p, value in item.percentiles.items():
            totals[p] = totals.get(p, Decimal(0)) + item.weight * value
            weights[p] = weights.get(p, Decimal(0)) + item.weight
            if p in item.lower_bound:
                bounds.add(p)
    market = {p: totals[p] / weights[p] for p in sorted(totals) if weights[p] > 0}
    return market, frozenset(bounds & set(market))


def interpolate(market: Mapping[int, Decimal], target: int) -> tuple[Decimal, Sequence[int]]:
    """C(q): the exact percentile, or linear between the nearest ones around it (step 6).

    Returns the value and the percentiles it was computed from.
    """
    if target in market:
        return market[target], (target,)
    below = [p for p in market if p < target]
    above = [p for p in market if p > target]
    if not below or not above:
        raise PercentileUnavailable(target, sorted(market))
    low, high = max(below), min(above)
    share = Decimal(target - low) / Decimal(high - low)
    return market[low] + (market[high] - market[low]) * share, (low, high)


def salary_range(market_rate: Decimal, spread: Decimal, increment: Decimal) -> SalaryRange:
    """Midpoint at the market rate, spread measured on the minimum (step 7).

    Each figure is rounded half up to the increment from its own unrounded value.
    """
    minimum = market_rate / (Decimal(1) + spread / 2)
    maximum = minimum * (Decimal(1) + spread)
    return SalaryRange(
        minimum=round_half_up(minimum, increment),
        midpoint=round_half_up(market_rate, increment),
        maximum=round_half_up(maximum, increment),
        spread=spread,
    )
