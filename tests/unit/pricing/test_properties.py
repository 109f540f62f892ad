"""Hypothesis properties of the rule book (architecture.md: percentiles non-decreasing, range
contains the midpoint, weights normalise) and of its helpers."""

from __future__ import annotations

import itertools
import re
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from pricing_core.market.model import PERCENTILES, Percentile
from pricing_core.pricing.model import Match
from pricing_core.pricing.policy import PricingPolicy, Quality
from pricing_core.pricing.rules import (
    add_months,
    aging_factor,
    composite,
    round_half_up,
    salary_range,
    usable_values,
)

EFFECTIVE = date(2025, 5, 12)
money = st.decimals(min_value=1, max_value=10_000_000, places=2)
weights = st.decimals(min_value=D("0.01"), max_value=100, places=2)
rates = st.decimals(min_value=D("-0.5"), max_value=D("0.5"), places=4)
increments = st.sampled_from([D("0.01"), D(1), D(5), D(100), D(1000)])


@st.composite
def rising(draw, low=1, high=1_000_000):
    """Five non-decreasing amounts, one per percentile."""
    values = draw(st.lists(st.integers(low, high), min_size=5, max_size=5))
    return [D(v) for v in sorted(values)]


def _monotone(market: dict[int, D]) -> bool:
    ordered = [market[p] for p in sorted(market)]
    return all(a <= b for a, b in itertools.pairwise(ordered))


@given(st.lists(st.tuples(weights, rising()), min_size=1, max_size=6))
def test_composite_of_rising_cuts_is_non_decreasing(contrib, items) -> None:
    market, _ = composite([contrib(dict(zip(PERCENTILES, v, strict=True)), w) for w, v in items])
    assert sorted(market) == list(PERCENTILES)
    assert _monotone(market)


@given(
    st.lists(
        st.tuples(weights, rising(high=400_000), st.sampled_from([0, 1, 2])), min_size=1, max_size=4
    ),
    st.sampled_from([None, D(239200)]),
)
def test_composite_stays_non_decreasing_with_top_coded_bounds(cut, contrib, items, top) -> None:
    contributions = []
    for w, values, coded in items:
        states = [Percentile.of(v) for v in values[: 5 - coded]] + [Percentile.top_coded()] * coded
        usable = usable_values(cut(states), top)
        bounds = frozenset(p for p, (_, b) in usable.items() if b)
        contributions.append(contrib({p: v for p, (v, _) in usable.items()}, w, lower_bound=bounds))
    market, bounds = composite(contributions)
    assert sorted(market) == list(PERCENTILES)
    assert _monotone(market)
    assert bounds == frozenset().union(*(c.lower_bound for c in contributions))


@given(st.lists(st.tuples(weights, money), min_size=1, max_size=8))
def test_composite_lies_between_the_smallest_and_largest_input(contrib, items) -> None:
    market, _ = composite([contrib({50: v}, w) for w, v in items])
    values = [v for _, v in items]
    assert min(values) <= market[50] <= max(values)


@given(st.lists(weights, min_size=1, max_size=8), money, st.integers(1, 50))
def test_weights_normalise(contrib, ws, value, scale) -> None:
    same, _ = composite([contrib({50: value}, w) for w in ws])
    assert same[50] == pytest.approx(value, rel=D("1e-25"))
    spread = [contrib({50: value + i}, w) for i, w in enumerate(ws)]
    scaled = [contrib({50: value + i}, w * scale) for i, w in enumerate(ws)]
    assert composite(spread)[0][50] == pytest.approx(composite(scaled)[0][50], rel=D("1e-25"))


@given(money, st.decimals(min_value=0, max_value=2, places=3), increments)
def test_range_contains_its_midpoint(rate, spread, increment) -> None:
    r = salary_range(rate, spread, increment)
    assert r.minimum <= r.midpoint <= r.maximum
    assert r.minimum >= 0
    if spread > 0 and rate / (1 + spread / 2) * spread >= increment:
        assert r.minimum < r.maximum
    if spread == 0:
        assert r.minimum == r.midpoint == r.maximum


@given(rates, st.integers(-36525, 36525))
def test_aging_forward_then_backward_is_the_identity(rate, days) -> None:
    assert abs(aging_factor(rate, days) * aging_factor(rate, -days) - 1) <= D("1e-20")


@given(st.decimals(min_value=D("0.0001"), max_value=D("0.5"), places=4), st.integers(-5000, 5000))
def test_aging_grows_with_days_for_a_positive_rate(rate, days) -> None:
    assert aging_factor(rate, days) < aging_factor(rate, days + 1)
    assert (aging_factor(rate, days) > 1) == (days > 0)


@given(st.decimals(min_value=-10_000_000, max_value=10_000_000, places=3), increments)
def test_round_half_up_is_idempotent_and_within_half_an_increment(value, increment) -> None:
    rounded = round_half_up(value, increment)
    assert round_half_up(rounded, increment) == rounded
    assert abs(rounded - value) <= increment / 2
    assert rounded % increment == 0


@given(st.dates(date(1990, 1, 1), date(2090, 12, 28)), st.integers(-600, 600))
def test_add_months_round_trips_without_clamping(day, months) -> None:
    assume(day.day <= 28)
    later = add_months(day, months)
    assert later.day == day.day
    assert add_months(later, -months) == day
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months


facts = st.fixed_dictionaries(
    {
        "quality": st.sampled_from(list(Quality)),
        "rse": st.none() | st.decimals(min_value=0, max_value=40, places=1),
        "days": st.integers(-1500, 1090),
        "coded": st.booleans(),
        "industry": st.sampled_from(["000000", "511200"]),
    }
)


@given(facts, st.sampled_from(["0600000", "0000000"]))
def test_a_fallback_never_raises_confidence(new_market, cut, price_on, f, fallback) -> None:
    values = (100000, 120000, 150000, 180000, Percentile.top_coded() if f["coded"] else 200000)
    scores = []
    for place in ("0041940", fallback):
        market = new_market()
        market.add(cut(values, area_code=place, wage_rse=f["rse"]))
        result = price_on(
            market,
            Match(source="oews-2025", job_code="15-1252", quality=f["quality"]),
            industry=f["industry"],
            pricing_date=EFFECTIVE + timedelta(days=f["days"]),
        )
        scores.append((result.confidence.score, result.contributions[0].score))
    direct, fallen = scores
    assert fallen[0] <= direct[0]
    assert fallen[1] < direct[1]


@given(rising(high=239_000), rising(high=239_000), st.sampled_from(["0041940", "0600004"]))
def test_priced_market_is_non_decreasing_and_the_range_holds_it(
    new_market, cut, price_on, metro, state, area
) -> None:
    market = new_market()
    market.add(cut(metro, area_code="0041940"), cut(state, area_code="0600000"))
    market.add(cut(state, source="mercer-2025", version="2025.1", area_code="0600000"))
    result = price_on(
        market,
        Match(source="oews-2025", job_code="15-1252"),
        Match(source="mercer-2025", job_code="15-1252", quality="close"),
        area=area,
    )
    assert _monotone(dict(result.market))
    assert result.range.minimum <= result.range.midpoint <= result.range.maximum
    assert 0 <= result.confidence.score <= 100


@given(st.decimals(max_value=0, places=2, allow_nan=False))
def test_policy_rejects_weights_that_are_not_positive(weight) -> None:
    with pytest.raises(ValueError, match="source_weights"):
        PricingPolicy(source_weights={"mercer-2025": weight})


@given(st.decimals(min_value=D("2.001"), max_value=1000, places=3))
def test_policy_rejects_a_spread_above_two(spread) -> None:
    with pytest.raises(ValueError, match="range_spread"):
        PricingPolicy(range_spread=spread)
    with pytest.raises(ValueError, match=r"range_spreads\.senior"):
        PricingPolicy(range_spreads={"senior": spread})


@given(
    st.integers(-1000, 1000).filter(lambda p: not 10 <= p <= 90),
    st.sampled_from(["junior", "expert"]),
)
def test_policy_rejects_level_percentiles_outside_10_to_90(percentile, level) -> None:
    levels = {"junior": 25, "intermediate": 50, "senior": 75, "expert": 90, level: percentile}
    with pytest.raises(ValueError, match=re.escape(f"level_percentiles.{level}")):
        PricingPolicy(level_percentiles=levels)
