"""PriceJob on the fake market: targets, composite, range, confidence and request errors.

The San Jose cut used throughout is 100,000 / 120,000 / 150,000 / 180,000 / 200,000, priced on
its effective date (AF = 1) unless a test says otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal as D
from typing import Any

import pytest

from pricing_core.errors import (
    CurrencyMismatch,
    InvalidRequest,
    NoMarketData,
    PercentileUnavailable,
    UnknownArea,
    UnknownSource,
)
from pricing_core.levels import Level
from pricing_core.market.model import Cut, MissingReason, Percentile
from pricing_core.pricing.model import Match
from pricing_core.pricing.policy import PricingPolicy
from tests.unit.pricing.conftest import FakeMarket

OEWS = Match(source="oews-2025", job_code="15-1252")
SURVEY_CUT = (110000, 130000, 170000, 190000, 210000)


@pytest.fixture
def metro(market, cut):
    market.add(cut())
    return market


def _survey(market: FakeMarket, cut: Callable[..., Cut], **kw: Any) -> None:
    kw.setdefault("organizations", 10)
    market.add(cut(SURVEY_CUT, source="mercer-2025", version="2025.1", **kw))


def test_exact_cut_prices_at_the_median(metro, price) -> None:
    result = price()
    assert result.market == {10: 100000, 25: 120000, 50: 150000, 75: 180000, 90: 200000}
    assert result.lower_bound == frozenset()
    assert (result.target_percentile, result.market_rate, result.currency) == (50, 150000, "USD")
    assert (result.range.minimum, result.range.midpoint, result.range.maximum) == (
        D(120000),
        D(150000),
        D(180000),
    )
    assert result.range.spread == D("0.50")
    (only,) = result.contributions
    assert (only.area_used, only.gd, only.af, only.weight, only.score) == ("0041940", 1, 1, 1, 100)
    assert only.notes == ()
    assert (result.confidence.score, result.confidence.label) == (90, "high")
    assert result.confidence.reasons == ("single source: -10",)
    assert result.dataset_versions == {"oews-2025": "2025A01"}
    assert result.warnings == ()


@pytest.mark.parametrize(
    ("request_kw", "target", "rate"),
    [
        ({}, 50, D(150000)),
        ({"percentile": 60}, 60, D(162000)),
        ({"percentile": 10}, 10, D(100000)),
        ({"level": Level.JUNIOR}, 25, D(120000)),
        ({"level": Level.SENIOR}, 75, D(180000)),
        ({"level": Level.EXPERT}, 90, D(200000)),
        ({"level": Level.SENIOR, "percentile": 75}, 75, D(180000)),
    ],
)
def test_target_percentile(metro, price, request_kw, target, rate) -> None:
    result = price(**request_kw)
    assert (result.target_percentile, result.market_rate) == (target, rate)


def test_target_from_the_policy_level_map(metro, price) -> None:
    levels = {"junior": 10, "intermediate": 50, "senior": 60, "expert": 90}
    result = price(level=Level.SENIOR, policy=PricingPolicy(level_percentiles=levels))
    assert (result.target_percentile, result.market_rate) == (60, D(162000))


def test_percentile_contradicting_the_level_is_an_invalid_request(metro, price) -> None:
    with pytest.raises(InvalidRequest) as caught:
        price(level=Level.SENIOR, percentile=60)
    assert caught.value.field == "percentile"
    assert caught.value.as_dict()["field"] == "percentile"
    assert "percentile" in str(caught.value)


def test_target_outside_the_composite_lists_the_available_percentiles(market, cut, price) -> None:
    market.add(cut((Percentile.missing(MissingReason.SUPPRESSED), 1, 2, 3, 4)))
    with pytest.raises(PercentileUnavailable) as caught:
        price(percentile=20)
    assert caught.value.details["available"] == [25, 50, 75, 90]


@pytest.mark.parametrize(
    ("request_kw", "policy", "rate"),
    [
        ({"positioning": D("0.1")}, PricingPolicy(), D(165000)),
        ({}, PricingPolicy(positioning="-0.05"), D(142500)),
        ({"positioning": D(0)}, PricingPolicy(positioning="-0.05"), D(150000)),
    ],
)
def test_positioning_leads_or_lags_the_market(metro, price, request_kw, policy, rate) -> None:
    assert price(policy=policy, **request_kw).market_rate == rate


@pytest.mark.parametrize(
    ("request_kw", "policy", "expected"),
    [
        ({"spread": D("0.4")}, PricingPolicy(), (125000, 150000, 175000)),
        ({}, PricingPolicy(range_spread="0.6"), (115400, 150000, 184600)),
        (
            {"level": Level.SENIOR},
            PricingPolicy(range_spreads={"senior": "0.8"}),
            (128600, 180000, 231400),
        ),
        (
            {"level": Level.JUNIOR},
            PricingPolicy(range_spreads={"senior": "0.8"}),
            (96000, 120000, 144000),
        ),
        (
            {"level": Level.SENIOR, "spread": D("0.4")},
            PricingPolicy(range_spreads={"senior": "0.8"}),
            (150000, 180000, 210000),
        ),
    ],
)
def test_spread_from_request_policy_or_level(metro, price, request_kw, policy, expected) -> None:
    r = price(policy=policy, **request_kw).range
    assert (r.minimum, r.midpoint, r.maximum) == tuple(D(x) for x in expected)


def test_range_rounds_each_figure_to_the_policy_increment(market, cut, price) -> None:
    market.add(cut((1, 2, 123456, 200000, 300000)))
    r = price(policy=PricingPolicy(rounding_increment=1000)).range
    # 123,456 / 1.25 = 98,764.80 → 99,000; × 1.5 = 148,147.20 → 148,000.
    assert (r.minimum, r.midpoint, r.maximum) == (D(99000), D(123000), D(148000))


@pytest.mark.parametrize(
    ("adjustment", "median"), [("0.1", 165000), ("-0.3", 105000), ("0.3", 195000)]
)
def test_adjustment_scales_every_percentile(metro, price, adjustment, median) -> None:
    result = price(Match(source="oews-2025", job_code="15-1252", adjustment=adjustment))
    assert result.market[50] == median
    assert result.contributions[0].adjustment == D(adjustment)


@pytest.mark.parametrize(
    ("quality", "policy", "weight", "median", "score"),
    [
        # (150,000 + 0.75 x 170,000) / 1.75; confidence (100 + 0.75 x 90) / 1.75 = 95.7
        ("close", PricingPolicy(), D("0.75"), D(277500) / D("1.75"), 96),
        ("partial", PricingPolicy(), D("0.5"), D(235000) / D("1.5"), 92),
        (
            "close",
            PricingPolicy(source_weights={"mercer-2025": 2}),
            D("1.5"),
            D(405000) / D("2.5"),
            94,
        ),
    ],
)
def test_two_sources_weighted_by_source_and_quality(
    metro, cut, price, quality, policy, weight, median, score
) -> None:
    _survey(metro, cut)
    result = price(
        OEWS, Match(source="mercer-2025", job_code="15-1252", quality=quality), policy=policy
    )
    assert result.contributions[1].weight == weight
    assert result.market[50] == median
    assert result.confidence.score == score
    assert not any("single source" in r for r in result.confidence.reasons)
    assert result.dataset_versions == {"mercer-2025": "2025.1", "oews-2025": "2025A01"}


def test_deductions_are_scoped_when_there_are_several_matches(metro, cut, price) -> None:
    _survey(metro, cut)
    result = price(OEWS, Match(source="mercer-2025", job_code="15-1252", quality="close"))
    assert result.confidence.reasons == ("mercer-2025 15-1252: close match: -10",)


def test_mixing_currencies_is_an_error(metro, cut, price) -> None:
    _survey(metro, cut, currency="SGD")
    with pytest.raises(CurrencyMismatch) as caught:
        price(OEWS, Match(source="mercer-2025", job_code="15-1252"))
    assert caught.value.details["currencies"] == ["SGD", "USD"]
    assert caught.value.code == "currency_mismatch"


@pytest.mark.parametrize("source", ["nope", "retired"])
def test_unknown_or_inactive_source(metro, price, source) -> None:
    with pytest.raises(UnknownSource) as caught:
        price(Match(source=source, job_code="15-1252"))
    assert caught.value.details["source"] == source


def test_area_by_name(metro, price) -> None:
    assert price(area="San Jose").area.code == "0041940"


@pytest.mark.parametrize("area", ["9999999", "Atlantis"])
def test_unknown_area(metro, price, area) -> None:
    with pytest.raises(UnknownArea) as caught:
        price(area=area)
    assert caught.value.candidates == ()
    assert caught.value.code == "unknown_area"


def test_ambiguous_area_name_lists_the_candidates(metro, price) -> None:
    with pytest.raises(UnknownArea) as caught:
        price(area="Portland")
    assert {code for code, _ in caught.value.candidates} == {"0038900", "0038860"}
    assert "Portland-South Portland, ME" in str(caught.value)


def test_unknown_industry_is_an_invalid_request(metro, price) -> None:
    with pytest.raises(InvalidRequest) as caught:
        price(industry="999999")
    assert caught.value.field == "industry"


def test_no_eligible_cut_anywhere_is_no_market_data(market, price) -> None:
    with pytest.raises(NoMarketData) as caught:
        price()
    assert caught.value.details["excluded"] == [
        {"source": "oews-2025", "job_code": "15-1252", "reason": "no_data"}
    ]


def test_an_excluded_match_is_reported_and_warned_about(metro, price) -> None:
    result = price(OEWS, Match(source="oews-2025", job_code="11-1011"))
    excluded = result.contributions[1]
    assert (excluded.excluded, excluded.weight, excluded.percentiles) == ("no_data", None, {})
    assert result.warnings == ("oews-2025 11-1011 excluded: no_data",)
    assert result.market[50] == 150000


def test_job_code_without_the_dash(metro, price) -> None:
    result = price(Match(source="oews-2025", job_code="151252"))
    assert result.contributions[0].job_code == "15-1252"
    assert result.market_rate == 150000
