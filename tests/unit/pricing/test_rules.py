"""The rule book's pure functions (pricing/rules.py), one behaviour per test."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal as D
from typing import Any

import pytest

from pricing_core.errors import PercentileUnavailable
from pricing_core.market.model import Cut, MissingReason, Percentile, Source, SourceKind
from pricing_core.pricing.policy import PricingPolicy
from pricing_core.pricing.rules import (
    add_months,
    aging_factor,
    composite,
    ineligibility,
    interpolate,
    round_half_up,
    salary_range,
    usable_values,
)

OEWS = Source(name="oews-2025", top_code=D(239200), active_version="2025A01")
SURVEY = Source(name="mercer-2025", kind=SourceKind.SURVEY, active_version="2025.1")
POLICY = PricingPolicy()


@pytest.mark.parametrize(
    ("value", "increment", "expected"),
    [
        (D(1050), D(100), D(1100)),
        (D("1049.99"), D(100), D(1000)),
        (D(1150), D(100), D(1200)),  # half up, not half even
        (D("0.125"), D("0.01"), D("0.13")),
        (D("2.5"), D(1), D(3)),
        (D(-1050), D(100), D(-1100)),  # halves away from zero
        (D(1234), D(50), D(1250)),
    ],
)
def test_round_half_up(value: D, increment: D, expected: D) -> None:
    assert round_half_up(value, increment) == expected


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2025, 11, 15), 3, date(2026, 2, 15)),
        (date(2025, 1, 31), -2, date(2024, 11, 30)),
        (date(2023, 5, 12), 36, date(2026, 5, 12)),
        (date(2025, 3, 31), 0, date(2025, 3, 31)),
    ],
)
def test_add_months_counts_calendar_months_and_clamps_the_day(
    day: date, months: int, expected: date
) -> None:
    assert add_months(day, months) == expected


def test_aging_factor_basics() -> None:
    assert aging_factor(D("0.03"), 0) == 1
    assert aging_factor(D(0), 1000) == 1
    assert aging_factor(D("0.03"), 1461) == pytest.approx(D("1.03") ** 4, abs=D("1e-24"))
    assert aging_factor(D("0.03"), -1461) == pytest.approx(1 / D("1.03") ** 4, abs=D("1e-24"))
    assert aging_factor(D("0.03"), -10) < 1 < aging_factor(D("0.03"), 10)


def _cut(cut: Callable[..., Cut], p50: object = 150000, **kw: Any) -> Cut:
    return cut((100000, 120000, p50, 180000, 200000), **kw)


@pytest.mark.parametrize("reason", list(MissingReason))
def test_a_cut_without_a_usable_median_is_ineligible(cut, reason: MissingReason) -> None:
    c = _cut(cut, p50=Percentile.missing(reason))
    assert ineligibility(c, OEWS, POLICY, date(2025, 5, 12)) == str(reason)


def test_a_top_coded_median_is_usable(cut) -> None:
    c = _cut(cut, p50=Percentile.top_coded())
    assert ineligibility(c, OEWS, POLICY, date(2025, 5, 12)) is None


@pytest.mark.parametrize(
    ("organizations", "source", "policy", "expected"),
    [
        (4, SURVEY, POLICY, "below_minimum_sample"),
        (5, SURVEY, POLICY, None),
        (4, SURVEY, PricingPolicy(min_organizations=4), None),
        (1, OEWS, POLICY, None),  # the sample rule is for surveys only
    ],
)
def test_minimum_sample_for_survey_cuts(cut, organizations, source, policy, expected) -> None:
    c = _cut(cut, source=source.name, organizations=organizations)
    assert ineligibility(c, source, policy, date(2025, 5, 12)) == expected


@pytest.mark.parametrize(
    ("effective", "pricing", "months", "expected"),
    [
        (date(2023, 1, 12), date(2026, 1, 12), 36, None),  # boundary day: still eligible
        (date(2023, 1, 12), date(2026, 1, 13), 36, "too_old"),
        (date(2023, 5, 31), date(2023, 6, 30), 1, None),  # clamped to the month's end
        (date(2023, 5, 31), date(2023, 7, 1), 1, "too_old"),
        (date(2025, 5, 12), date(2026, 5, 12), 12, None),
        (date(2025, 5, 12), date(2026, 5, 13), 12, "too_old"),
        (date(2025, 5, 12), date(2020, 1, 1), 36, None),  # newer than the pricing date
    ],
)
def test_too_old_after_max_age_calendar_months(cut, effective, pricing, months, expected) -> None:
    c = _cut(cut, effective_date=effective)
    policy = PricingPolicy(max_age_months=months)
    assert ineligibility(c, OEWS, policy, pricing) == expected


def test_usable_values_marks_values_and_bounds(cut) -> None:
    c = cut((None, 120000, 150000, 180000, Percentile.top_coded()))
    assert usable_values(c, D(239200)) == {
        25: (D(120000), False),
        50: (D(150000), False),
        75: (D(180000), False),
        90: (D(239200), True),
    }


def test_top_coded_bound_is_the_nearest_lower_usable_when_it_exceeds_the_threshold(cut) -> None:
    c = cut((100000, 200000, 239300, 250000, Percentile.top_coded()))
    assert usable_values(c, D(239200))[90] == (D(250000), True)


def test_top_coded_bound_skips_missing_percentiles(cut) -> None:
    c = cut((100000, 120000, 150000, None, Percentile.top_coded()))
    values = usable_values(c, None)
    assert 75 not in values
    assert values[90] == (D(150000), True)


def test_consecutive_top_coded_percentiles_share_the_bound(cut) -> None:
    c = cut((100000, 200000, 230000, Percentile.top_coded(), Percentile.top_coded()))
    values = usable_values(c, D(239200))
    assert values[75] == values[90] == (D(239200), True)


def test_composite_averages_over_the_cuts_where_a_percentile_is_usable(contrib) -> None:
    market, bounds = composite(
        [
            contrib({25: 100, 50: 200, 90: 400}, 3),
            contrib({50: 100, 75: 300}, 1),
            contrib({50: 999}, None),  # no weight: excluded contributions are skipped
        ]
    )
    assert market == {25: D(100), 50: D(175), 75: D(300), 90: D(400)}
    assert 10 not in market
    assert bounds == frozenset()


def test_composite_is_a_lower_bound_when_any_term_is(contrib) -> None:
    market, bounds = composite(
        [contrib({50: 100, 90: 300}, 1, lower_bound=frozenset({90})), contrib({50: 100, 90: 500})]
    )
    assert market[90] == D(400)
    assert bounds == frozenset({90})


def test_interpolate_exact_hit_and_between_neighbours() -> None:
    market = {10: D(100), 25: D(130), 50: D(180), 75: D(230), 90: D(300)}
    assert interpolate(market, 50) == (D(180), (50,))
    assert interpolate(market, 60) == (D(200), (50, 75))
    assert interpolate(market, 85) == (D(230) + D(70) * D(10) / D(15), (75, 90))


def test_interpolate_skips_a_missing_percentile() -> None:
    assert interpolate({25: D(100), 75: D(200)}, 50) == (D(150), (25, 75))


@pytest.mark.parametrize("target", [10, 20, 80, 90])
def test_percentile_outside_the_composite_names_what_is_there(target: int) -> None:
    with pytest.raises(PercentileUnavailable) as caught:
        interpolate({25: D(100), 50: D(150), 75: D(200)}, target)
    assert caught.value.details["available"] == [25, 50, 75]
    assert "P25, P50, P75" in str(caught.value)
    assert caught.value.as_dict()["code"] == "percentile_unavailable"


def test_salary_range_rounds_each_figure_from_its_own_unrounded_value() -> None:
    # minimum 100,049 → 100,000; maximum 150,073.50 → 150,100 (not 100,000 × 1.5 = 150,000).
    r = salary_range(D("125061.25"), D("0.5"), D(100))
    assert (r.minimum, r.midpoint, r.maximum) == (D(100000), D(125100), D(150100))
    assert r.spread == D("0.5")


def test_salary_range_with_zero_spread_is_a_point() -> None:
    r = salary_range(D("123456"), D(0), D(100))
    assert r.minimum == r.midpoint == r.maximum == D(123500)
