"""Pricing requests and results: what an analyst asks and everything the answer explains."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal

import attrs

from pricing_core.errors import InvalidRequest
from pricing_core.levels import Level
from pricing_core.market.model import ALL_INDUSTRIES, Area, normalise_job_code
from pricing_core.pricing.policy import Quality
from pricing_core.values import between, to_decimal, to_optional_decimal

__all__ = [
    "Confidence",
    "Contribution",
    "Deduction",
    "Match",
    "PricingOptions",
    "PricingRequest",
    "PricingResult",
    "SalaryRange",
]

MAX_ADJUSTMENT = Decimal("0.30")
MAX_SHIFT = Decimal("0.5")  # positioning and aging rate: the policy's own bounds


@attrs.frozen(kw_only=True)
class Match:
    """A survey job matched to the job being priced."""

    source: str = attrs.field(validator=attrs.validators.min_len(1))
    job_code: str = attrs.field(converter=normalise_job_code, validator=attrs.validators.min_len(1))
    quality: Quality = attrs.field(default=Quality.EXACT, converter=Quality)
    adjustment: Decimal = attrs.field(
        default=Decimal(0), converter=to_decimal, validator=between(-MAX_ADJUSTMENT, MAX_ADJUSTMENT)
    )


def _matches(matches: Iterable[Match]) -> tuple[Match, ...]:
    return tuple(matches)


def _level(value: Level | str | None) -> Level | None:
    if value is None or isinstance(value, Level):
        return value
    try:
        return Level(value)
    except ValueError:
        raise InvalidRequest("level", f"must be one of {', '.join(Level)}", value) from None


@attrs.frozen(kw_only=True)
class PricingOptions:
    """What may be asked beside the job, the area and the date; unset ones fall back to the
    policy. One value, shared by a quote, a saved request's inputs and the request priced."""

    industry: str = ALL_INDUSTRIES
    percentile: int | None = attrs.field(default=None, validator=between(10, 90))
    level: Level | None = attrs.field(default=None, converter=_level)
    positioning: Decimal | None = attrs.field(
        default=None, converter=to_optional_decimal, validator=between(-MAX_SHIFT, MAX_SHIFT)
    )
    spread: Decimal | None = attrs.field(
        default=None, converter=to_optional_decimal, validator=between(0, 2)
    )
    aging_rate: Decimal | None = attrs.field(
        default=None, converter=to_optional_decimal, validator=between(-MAX_SHIFT, MAX_SHIFT)
    )


@attrs.frozen(kw_only=True)
class PricingRequest:
    """One job to price, as of `pricing_date`, with the options asked."""

    matches: tuple[Match, ...] = attrs.field(
        converter=_matches, validator=attrs.validators.min_len(1)
    )
    area: str
    pricing_date: date
    options: PricingOptions = PricingOptions()


@attrs.frozen(kw_only=True)
class Deduction:
    """One confidence deduction and why; `scope` names the contribution, or '' for the total."""

    points: int
    reason: str
    scope: str = ""

    def describe(self) -> str:
        prefix = f"{self.scope}: " if self.scope else ""
        return f"{prefix}{self.reason}: -{self.points}"


@attrs.frozen(kw_only=True)
class Contribution:
    """What one match added to the composite, or why it was excluded."""

    source: str
    version: str | None
    job_code: str
    quality: Quality
    area_requested: str
    area_used: str | None = None
    currency: str | None = None
    industry_used: str | None = None
    effective_date: date | None = None
    gd: Decimal | None = None
    af: Decimal | None = None
    adjustment: Decimal = Decimal(0)
    weight: Decimal | None = None
    score: int | None = None
    # Adjusted usable percentiles; `lower_bound` lists those that are only bounds.
    percentiles: Mapping[int, Decimal] = attrs.field(factory=dict)
    lower_bound: frozenset[int] = frozenset()
    deductions: tuple[Deduction, ...] = ()
    notes: tuple[str, ...] = ()
    excluded: str | None = None

    @property
    def included(self) -> bool:
        return self.excluded is None


@attrs.frozen(kw_only=True)
class SalaryRange:
    minimum: Decimal
    midpoint: Decimal
    maximum: Decimal
    spread: Decimal


@attrs.frozen(kw_only=True)
class Confidence:
    score: int
    label: str
    reasons: tuple[str, ...]


@attrs.frozen(kw_only=True)
class PricingResult:
    """The whole answer; every figure is unrounded Decimal except the range."""

    currency: str
    pricing_date: date
    area: Area
    industry: str
    target_percentile: int
    level: Level | None
    market: Mapping[int, Decimal]
    lower_bound: frozenset[int]
    market_rate: Decimal
    range: SalaryRange
    confidence: Confidence
    contributions: tuple[Contribution, ...]
    dataset_versions: Mapping[str, str]
    warnings: tuple[str, ...]
    policy_version: int
