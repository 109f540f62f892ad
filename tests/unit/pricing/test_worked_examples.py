"""The published numbers of worked-examples.md, reproduced through the public functions."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from pricing_core.pricing.pay import pay_position
from pricing_core.pricing.rules import (
    DAYS_PER_YEAR,
    aging_factor,
    composite,
    round_half_up,
    salary_range,
)

CENT = D("0.01")
RATE = D("0.03")

# (value, t in years, compound result, linear result as published by BLR / comp-shop)
AGING = [
    (D(90000), D("0.5"), D("91340.02"), D("91350.00")),
    (D(52000), D("0.75"), D("53165.67"), D("53170.00")),
    (D(53000), D(1) / D(3), D("53524.79"), D("53530.00")),
]


def _days(t: D) -> D:
    # t x 365.25 is an exact decimal for 1/2 and 3/4; for 1/3 it is 121.75.
    return D("121.75") if t == D(1) / D(3) else t * DAYS_PER_YEAR


@pytest.mark.parametrize(("value", "t", "compound", "linear"), AGING)
def test_aging_compounds_over_days_per_365_25(value: D, t: D, compound: D, linear: D) -> None:
    days = _days(t)
    assert days / DAYS_PER_YEAR == pytest.approx(t, abs=D("1e-20"))
    aged = value * aging_factor(RATE, days)  # type: ignore[arg-type]  # a fraction of a day
    assert round_half_up(aged, CENT) == compound


@pytest.mark.parametrize(("value", "t", "compound", "linear"), AGING)
def test_linear_aging_is_not_ours_and_gives_other_numbers(
    value: D, t: D, compound: D, linear: D
) -> None:
    ours = round_half_up(value * aging_factor(RATE, _days(t)), CENT)  # type: ignore[arg-type]
    assert ours != linear  # the comp-shop's linear figures are not what the rule book gives


def test_aging_by_whole_days_brackets_the_six_month_example() -> None:
    # 182 and 183 days lie either side of half a year (182.625 days).
    low = D(90000) * aging_factor(RATE, 182)
    high = D(90000) * aging_factor(RATE, 183)
    assert low < D("91340.02") < high
    assert round_half_up(low, D(1)) != D(91341)  # the page's 91,341 is its own rounding


def test_composite_weighted_by_incumbents(contrib) -> None:
    people = [(D(100000), 2), (D(120000), 2), (D(140000), 5)]
    weighted, _ = composite([contrib({50: pay}, count) for pay, count in people])
    unweighted, _ = composite([contrib({50: pay}, 1) for pay, _ in people])
    assert round_half_up(weighted[50], CENT) == D("126666.67")
    assert unweighted[50] == D(120000)


def test_range_from_a_midpoint_of_135_500_at_50_percent() -> None:
    r = salary_range(D(135500), D("0.5"), D(100))
    assert (r.minimum, r.midpoint, r.maximum) == (D(108400), D(135500), D(162600))


def test_midpoint_from_a_maximum_of_1_500_at_40_percent() -> None:
    spread = D("0.4")
    midpoint = D(1500) / (1 + spread) * (1 + spread / 2)
    assert round_half_up(midpoint, CENT) == D("1285.71")
    r = salary_range(D("1285.71"), spread, CENT)
    assert (r.minimum, r.midpoint, r.maximum) == (D("1071.43"), D("1285.71"), D("1500.00"))


def test_the_wrongly_published_midpoint_from_a_minimum_of_10_000_at_20_percent() -> None:
    r = salary_range(D(11000), D("0.2"), D(100))
    assert r.minimum == D(10000)
    wrong = salary_range(D(13200), D("0.2"), D(100))
    assert wrong.minimum != D(10000)


@pytest.mark.parametrize(
    ("minimum", "maximum", "spread"),
    [
        (D(80000), D(120000), D("0.5")),
        (D(350000), D(500000), D(500000) / D(350000) - 1),
        (D(60000), D(90000), D("0.5")),
    ],
)
def test_spread_on_the_minimum(minimum: D, maximum: D, spread: D) -> None:
    r = salary_range(minimum * (1 + spread / 2), spread, D(100))
    assert (r.minimum, r.maximum) == (minimum, maximum)


def test_spread_42_857_percent_and_40_percent_on_the_midpoint() -> None:
    assert round_half_up((D(500000) / D(350000) - 1) * 100, D("0.001")) == D("42.857")
    # 80,000-100,000-120,000: 50 % on the minimum is 40 % when measured on the midpoint.
    r = salary_range(D(100000), D("0.5"), D(100))
    assert (r.maximum - r.minimum) / r.midpoint == D("0.4")


@pytest.mark.parametrize(
    ("pay", "minimum", "midpoint", "maximum", "compa", "penetration", "places"),
    [
        (72000, 60000, 80000, 100000, D("0.90"), None, D("0.01")),
        (70000, 55000, 68600, 82200, None, D("0.5515"), D("0.0001")),
        (62000, 56000, 70000, 84000, D("0.886"), D("0.214"), D("0.001")),
        (91000, 72000, 90000, 108000, D("1.011"), D("0.528"), D("0.001")),
        (48000, 48000, 60000, 72000, D("0.80"), D("0.0"), D("0.01")),
    ],
)
def test_pay_against_the_range_table(
    pay: int,
    minimum: int,
    midpoint: int,
    maximum: int,
    compa: D | None,
    penetration: D | None,
    places: D,
) -> None:
    position = pay_position(D(pay), D(minimum), D(midpoint), D(maximum))
    if compa is not None:
        assert round_half_up(position.compa_ratio, places) == compa
    if penetration is not None:
        assert round_half_up(position.range_penetration, places) == penetration
    assert not position.above_maximum


def test_pay_flags_outside_the_range() -> None:
    assert pay_position(D(47999), D(48000), D(60000), D(72000)).below_minimum
    assert not pay_position(D(48000), D(48000), D(60000), D(72000)).below_minimum
    assert pay_position(D(72001), D(48000), D(60000), D(72000)).above_maximum
    assert not pay_position(D(72000), D(48000), D(60000), D(72000)).above_maximum


def test_the_json_example_range_in_the_rule_book() -> None:
    # pricing-method.md: market_rate 218,470.11 at spread 0.5 → 174,800 / 218,500 / 262,200.
    r = salary_range(D("218470.11"), D("0.5"), D(100))
    assert (r.minimum, r.midpoint, r.maximum) == (D(174800), D(218500), D(262200))
