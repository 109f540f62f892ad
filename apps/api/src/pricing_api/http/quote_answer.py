"""The quote's answer at the edge: structs describing pricing-method.md's result JSON.

Handlers answer `Quoted.as_json()` (what `pricing price --json` prints); these describe it for
the OpenAPI schema, field for field, nulls where an excluded contribution has no figures.
"""

from __future__ import annotations

from datetime import date as Date  # as in quote_schema, where `date` is a field

import msgspec

from pricing_core.levels import Level
from pricing_core.pricing.policy import Quality

__all__ = [
    "CandidateOut",
    "ContributionOut",
    "PricedRangeOut",
    "QuoteOut",
    "RangeOut",
    "TitleMatchOut",
]


class AreaRef(msgspec.Struct):
    code: str
    name: str


class RangeOut(msgspec.Struct):
    """A pay range in the result's currency: minimum ≤ midpoint ≤ maximum."""

    minimum: float
    midpoint: float
    maximum: float


class PricedRangeOut(RangeOut):
    """The priced range, with its spread (maximum / minimum − 1); whole currency units with
    the default rounding increment of 100."""

    spread: float


class ConfidenceOut(msgspec.Struct):
    score: int
    label: str
    reasons: list[str]


class ContributionOut(msgspec.Struct):
    """One match: its cut and factors, or (figures null) why it was excluded."""

    source: str
    version: str | None
    job_code: str
    quality: Quality
    area_requested: str
    area_used: str | None
    industry_used: str | None
    effective_date: Date | None
    gd: float | None
    af: float | None
    adjustment: float
    weight: float | None
    score: int | None
    percentiles: dict[str, float] | None
    lower_bound: list[str]
    notes: list[str]
    excluded: str | None


class CandidateOut(msgspec.Struct):
    """An occupation a title may mean, its score (0 to 1) and why it matched."""

    job_code: str
    title: str
    score: float
    reason: str


class TitleMatchOut(msgspec.Struct):
    """The title as given, the occupation priced (`chosen`), and every candidate."""

    title: str
    chosen: str
    candidates: list[CandidateOut]


class QuoteOut(msgspec.Struct):
    """A priced job; `market` holds p10…p90 where available, to the cent."""

    currency: str
    pricing_date: Date
    area: AreaRef
    industry: str
    target_percentile: int
    level: Level | None
    market: dict[str, float]
    lower_bound: list[str]
    market_rate: float
    range: PricedRangeOut
    confidence: ConfidenceOut
    contributions: list[ContributionOut]
    dataset_versions: dict[str, str]
    policy_version: int
    warnings: list[str]
    title_match: TitleMatchOut | None = None
