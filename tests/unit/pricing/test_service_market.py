"""PriceJob on the fake market: fallbacks, GD, eligibility, top-coding and aging (steps 1-4).

All-occupations medians: national 50,000, California 60,000, San Jose 80,000.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from pricing_core.errors import NoMarketData
from pricing_core.market.model import ALL_OCCUPATIONS, MissingReason, Percentile
from pricing_core.pricing.model import Contribution, Match, PricingResult
from pricing_core.pricing.policy import PricingPolicy

EFFECTIVE = date(2025, 5, 12)
STATE_CUT = (90000, 110000, 130000, 160000, 190000)
NATIONAL_CUT = (80000, 100000, 120000, 150000, 170000)
TOP = Percentile.top_coded()


def _only(result: PricingResult) -> Contribution:
    (contribution,) = result.contributions
    return contribution


def test_industry_fallback(market, cut, price) -> None:
    market.add(cut())
    result = price(industry="511200")
    c = _only(result)
    assert (c.industry_used, c.notes, c.gd, c.score) == ("000000", ("industry_fallback",), D(1), 95)
    assert result.industry == "511200"
    assert result.market_rate == 150000
    assert result.confidence.score == 85
    assert "industry fallback: -5" in result.confidence.reasons


def test_industry_cut_when_present(market, cut, price) -> None:
    market.add(cut(), cut((1, 2, 160000, 3, 4), industry_code="511200"))
    result = price(industry="511200")
    assert (_only(result).notes, result.market_rate) == ((), 160000)


@pytest.mark.parametrize(
    ("present", "values", "note", "gd", "score"),
    [
        ("0600000", STATE_CUT, "geo_fallback_state", D(80000) / D(60000), 90),
        ("0000000", NATIONAL_CUT, "geo_fallback_national", D("1.6"), 80),
    ],
)
def test_geo_fallback_applies_the_geographic_differential(
    market, cut, price, present, values, note, gd, score
) -> None:
    market.add(cut(values, area_code=present))
    result = price()
    c = _only(result)
    assert (c.area_requested, c.area_used, c.notes, c.gd, c.score) == (
        "0041940",
        present,
        (note,),
        gd,
        score,
    )
    assert result.market == {
        p: D(v) * gd for p, v in zip((10, 25, 50, 75, 90), values, strict=True)
    }
    assert result.confidence.score == score - 10


def test_nonmetro_falls_back_to_its_state(market, cut, price) -> None:
    market.add(cut(STATE_CUT, area_code="0600000"))
    result = price(area="0600004")
    assert _only(result).notes == ("geo_fallback_state",)
    assert result.market[50] == D(130000) * D(40000) / D(60000)


@pytest.mark.parametrize("missing", ["0041940", "0600000"])
def test_gd_unknown_when_an_all_occupations_median_is_missing(market, cut, price, missing) -> None:
    market.remove("oews-2025", ALL_OCCUPATIONS, missing)
    market.add(cut(STATE_CUT, area_code="0600000"))
    result = price()
    c = _only(result)
    assert (c.gd, c.notes) == (D(1), ("geo_fallback_state", "gd_unknown"))
    assert result.market[50] == 130000


@pytest.mark.parametrize("reason", list(MissingReason))
def test_a_missing_median_sends_pricing_up_the_tree(market, cut, price, reason) -> None:
    market.add(cut((1, 2, Percentile.missing(reason), 4, 5)), cut(STATE_CUT, area_code="0600000"))
    assert _only(price()).area_used == "0600000"


def test_the_first_ineligible_reason_is_reported(market, cut, price) -> None:
    market.add(
        cut((1, 2, Percentile.missing(MissingReason.SUPPRESSED), 4, 5)),
        cut(STATE_CUT, area_code="0600000", effective_date=date(2020, 1, 1)),
    )
    with pytest.raises(NoMarketData) as caught:
        price()
    assert caught.value.details["excluded"][0]["reason"] == "suppressed"


@pytest.mark.parametrize(("organizations", "excluded"), [(4, "below_minimum_sample"), (5, None)])
def test_survey_cut_below_the_minimum_sample(market, cut, price, organizations, excluded) -> None:
    market.add(cut())
    market.add(cut(source="mercer-2025", version="2025.1", organizations=organizations))
    result = price(
        Match(source="oews-2025", job_code="15-1252"),
        Match(source="mercer-2025", job_code="15-1252"),
    )
    assert result.contributions[1].excluded == excluded
    if excluded:
        assert result.warnings == ("mercer-2025 15-1252 excluded: below_minimum_sample",)
        assert "single source: -10" in result.confidence.reasons


def test_too_old_after_36_calendar_months_boundary_day_exact(market, cut, price) -> None:
    market.add(cut(effective_date=date(2023, 1, 12)))
    assert _only(price(pricing_date=date(2026, 1, 12))).area_used == "0041940"
    with pytest.raises(NoMarketData) as caught:
        price(pricing_date=date(2026, 1, 13))
    assert caught.value.details["excluded"][0]["reason"] == "too_old"
    later = price(pricing_date=date(2026, 1, 13), policy=PricingPolicy(max_age_months=37))
    assert _only(later).area_used == "0041940"


def test_top_coded_percentile_uses_the_threshold_as_a_lower_bound(market, cut, price) -> None:
    market.add(cut((100000, 120000, 150000, 180000, TOP)))
    result = price()
    assert result.market[90] == 239200
    assert result.lower_bound == frozenset({90})
    assert _only(result).lower_bound == frozenset({90})
    assert _only(result).score == 90
    assert result.confidence.reasons == ("top-coded percentile used: -10", "single source: -10")
    assert result.warnings == ()  # P50 is a value


@pytest.mark.parametrize("percentile", [80, 90])
def test_a_market_rate_from_a_bound_is_warned_about(market, cut, price, percentile) -> None:
    market.add(cut((100000, 120000, 150000, 180000, TOP)))
    result = price(percentile=percentile)
    assert result.warnings == ("market rate is a lower bound: P90 top-coded",)


def test_top_coded_bound_is_at_least_the_nearest_lower_usable(market, cut, price) -> None:
    market.add(cut((100000, 200000, 230000, 250000, TOP)))
    assert price().market[90] == 250000


def test_top_coded_without_a_threshold_uses_the_nearest_lower(market, cut, price) -> None:
    market.add(cut((100000, 120000, 150000, 180000, TOP), source="mercer-2025", version="2025.1"))
    result = price(Match(source="mercer-2025", job_code="15-1252"))
    assert (result.market[90], result.lower_bound) == (180000, frozenset({90}))


def test_top_coded_bound_is_adjusted_like_a_value(market, cut, price) -> None:
    market.add(cut((100000, 120000, 150000, 180000, TOP), area_code="0600000"))
    result = price(Match(source="oews-2025", job_code="15-1252", adjustment="0.1"))
    # 239,200 x GD 4/3 x 1.1
    assert result.market[90] == D(239200) * (D(80000) / D(60000) * D("1.1"))
    assert round(result.market[90], 2) == D("350826.67")
    assert result.lower_bound == frozenset({90})


@pytest.mark.parametrize(
    ("pricing_date", "days"), [(date(2026, 1, 1), 234), (date(2025, 1, 1), -131)]
)
def test_aging_forward_and_backward(market, cut, price, pricing_date, days) -> None:
    market.add(cut())
    result = price(pricing_date=pricing_date)
    af = D("1.03") ** (D(days) / D("365.25"))
    assert _only(result).af == af
    assert result.market[50] == D(150000) * af
    assert (result.market[50] > 150000) == (days > 0)


def test_aging_rate_from_the_request_or_the_policy(market, cut, price) -> None:
    market.add(cut())
    day = date(2026, 5, 12)  # 365 days
    assert price(pricing_date=day, aging_rate=D(0)).market[50] == 150000
    by_policy = price(pricing_date=day, policy=PricingPolicy(aging_rate="0.05")).market[50]
    assert by_policy == D(150000) * D("1.05") ** (D(365) / D("365.25"))


@pytest.mark.parametrize(("days", "score"), [(730, 100), (731, 95), (-731, 95), (1096, 90)])
def test_stale_or_future_data_loses_five_points_per_year_beyond_the_first(
    market, cut, price, days, score
) -> None:
    market.add(cut())
    result = price(pricing_date=EFFECTIVE + timedelta(days=days))
    assert _only(result).score == score
