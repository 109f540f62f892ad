"""Confidence in a price (step 8): deductions per cut, weight-averaged, labelled."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from pricing_core.pricing.model import Confidence, Contribution, Deduction
from pricing_core.pricing.policy import Quality
from pricing_core.pricing.rules import DAYS_PER_YEAR, round_half_up

__all__ = ["confidence", "cut_deductions", "label_for"]

NOTE_POINTS = {
    "geo_fallback_state": (10, "geo fallback to state"),
    "geo_fallback_national": (20, "geo fallback to national"),
    "industry_fallback": (5, "industry fallback"),
}
QUALITY_POINTS = {Quality.CLOSE: 10, Quality.PARTIAL: 25}


def cut_deductions(
    *,
    notes: Sequence[str],
    quality: Quality,
    wage_rse: Decimal | None,
    days: int,
    top_coded: bool,
    scope: str = "",
) -> tuple[Deduction, ...]:
    """Every deduction that applies to one cut, in the rule book's order."""
    found: list[Deduction] = []
    for note in notes:
        if note in NOTE_POINTS:
            points, reason = NOTE_POINTS[note]
            found.append(Deduction(points=points, reason=reason, scope=scope))
    if quality in QUALITY_POINTS:
        found.append(
            Deduction(points=QUALITY_POINTS[quality], reason=f"{quality} match", scope=scope)
        )
    if wage_rse is not None and wage_rse > 10:
        points = 20 if wage_rse > 20 else 10
        found.append(Deduction(points=points, reason=f"wage RSE {wage_rse}%", scope=scope))
    years_beyond_first = int(Decimal(abs(days)) / DAYS_PER_YEAR) - 1
    if years_beyond_first > 0:
        found.append(
            Deduction(
                points=5 * years_beyond_first,
                reason=f"data {abs(days)} days from the pricing date",
                scope=scope,
            )
        )
    if top_coded:
        found.append(Deduction(points=10, reason="top-coded percentile used", scope=scope))
    return tuple(found)


def label_for(score: int) -> str:
    if score >= 80:
        return "high"
    return "medium" if score >= 50 else "low"


def confidence(included: Sequence[Contribution]) -> Confidence:
    """The weight-averaged cut score, less 10 for a single source, clamped and rounded."""
    total = sum((c.weight or Decimal(0) for c in included), Decimal(0))
    average = sum((c.weight or Decimal(0)) * (c.score or 0) for c in included) / total
    reasons = [d.describe() for c in included for d in c.deductions]
    if len({c.source for c in included}) == 1:
        average -= 10
        reasons.append(Deduction(points=10, reason="single source").describe())
    score = int(round_half_up(min(max(average, Decimal(0)), Decimal(100))))
    return Confidence(score=score, label=label_for(score), reasons=tuple(reasons))
