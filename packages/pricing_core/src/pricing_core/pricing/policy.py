"""The pricing policy: every default of the rule book, as one validated value."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

import attrs

from pricing_core.levels import Level
from pricing_core.values import between, to_decimal

__all__ = ["PricingPolicy", "Quality"]


class Quality(StrEnum):
    """How well a survey job matches the job being priced."""

    EXACT = "exact"
    CLOSE = "close"
    PARTIAL = "partial"


def _decimals(mapping: Mapping[str, object]) -> Mapping[str, Decimal]:
    return MappingProxyType({str(k): to_decimal(v) for k, v in mapping.items()})


MIN_WEIGHT = Decimal("0.0001")


def _integers(mapping: Mapping[str, object]) -> Mapping[str, int]:
    return MappingProxyType({str(k): int(str(v)) for k, v in mapping.items()})


def _in_range(
    low: Decimal, high: Decimal
) -> Callable[[object, attrs.Attribute[Decimal], Decimal], None]:
    def check(_: object, attribute: attrs.Attribute[Decimal], value: Decimal) -> None:
        if not low <= value <= high:
            raise ValueError(f"{attribute.name} must be between {low} and {high}, got {value}")

    return check


def _check_weights(
    _: object, attribute: attrs.Attribute[Mapping[str, Decimal]], value: Mapping[str, Decimal]
) -> None:
    for key, weight in value.items():
        # The floor keeps products of weights far from Decimal underflow (1e-999999999 × a
        # quality weight is 0, and every percentile would silently drop out).
        if not MIN_WEIGHT <= weight <= Decimal(100):
            raise ValueError(
                f"{attribute.name}.{key} must be between {MIN_WEIGHT} and 100, got {weight}"
            )


def _check_quality(
    instance: object,
    attribute: attrs.Attribute[Mapping[str, Decimal]],
    value: Mapping[str, Decimal],
) -> None:
    if set(value) != {q.value for q in Quality}:
        raise ValueError(
            f"{attribute.name} needs exactly exact, close and partial, got {sorted(value)}"
        )
    _check_weights(instance, attribute, value)


def _check_levels(
    _: object, attribute: attrs.Attribute[Mapping[str, int]], value: Mapping[str, int]
) -> None:
    if set(value) != {lv.value for lv in Level}:
        raise ValueError(f"{attribute.name} needs exactly {', '.join(Level)}, got {sorted(value)}")
    for key, percentile in value.items():
        if not 10 <= percentile <= 90:
            raise ValueError(f"{attribute.name}.{key} must be 10-90, got {percentile}")


def _check_spreads(
    _: object, attribute: attrs.Attribute[Mapping[str, Decimal]], value: Mapping[str, Decimal]
) -> None:
    for key, spread in value.items():
        if key not in {lv.value for lv in Level}:
            raise ValueError(f"{attribute.name}.{key} is not a level")
        if not Decimal(0) <= spread <= Decimal(2):
            raise ValueError(f"{attribute.name}.{key} must be between 0 and 2, got {spread}")


DEFAULT_QUALITY = _decimals({"exact": 1, "close": "0.75", "partial": "0.5"})
DEFAULT_LEVELS = _integers({"junior": 25, "intermediate": 50, "senior": 75, "expert": 90})


@attrs.frozen(kw_only=True)
class PricingPolicy:
    """pricing-method.md's policy table; an administrator may change any of it."""

    version: int = 1
    aging_rate: Decimal = attrs.field(
        default=Decimal("0.03"),
        converter=to_decimal,
        validator=_in_range(Decimal("-0.5"), Decimal("0.5")),
    )
    # Sources not named here weigh 1.
    source_weights: Mapping[str, Decimal] = attrs.field(
        factory=dict, converter=_decimals, validator=_check_weights
    )
    quality_weights: Mapping[str, Decimal] = attrs.field(
        default=DEFAULT_QUALITY, converter=_decimals, validator=_check_quality
    )
    level_percentiles: Mapping[str, int] = attrs.field(
        default=DEFAULT_LEVELS, converter=_integers, validator=_check_levels
    )
    range_spread: Decimal = attrs.field(
        default=Decimal("0.50"), converter=to_decimal, validator=_in_range(Decimal(0), Decimal(2))
    )
    # Per-level spreads override range_spread for that level.
    range_spreads: Mapping[str, Decimal] = attrs.field(
        factory=dict, converter=_decimals, validator=_check_spreads
    )
    positioning: Decimal = attrs.field(
        default=Decimal(0),
        converter=to_decimal,
        validator=_in_range(Decimal("-0.5"), Decimal("0.5")),
    )
    rounding_increment: Decimal = attrs.field(
        default=Decimal(100),
        converter=to_decimal,
        validator=_in_range(Decimal("0.01"), Decimal(100000)),
    )
    min_organizations: int = attrs.field(default=5, validator=attrs.validators.ge(0))
    max_age_months: int = attrs.field(default=36, validator=between(1, 1200))

    def source_weight(self, source: str) -> Decimal:
        return self.source_weights.get(source, Decimal(1))

    def quality_weight(self, quality: Quality) -> Decimal:
        return self.quality_weights[quality.value]

    def spread_for(self, level: Level | None) -> Decimal:
        if level is not None and level.value in self.range_spreads:
            return self.range_spreads[level.value]
        return self.range_spread

    def percentile_for(self, level: Level) -> int:
        return self.level_percentiles[level.value]
