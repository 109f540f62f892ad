"""The pricing policy's defaults and validation, and the request values' validation."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal as D

import pytest

from pricing_core.errors import PricingError
from pricing_core.levels import Level
from pricing_core.pricing.model import Match, PricingRequest
from pricing_core.pricing.policy import PricingPolicy, Quality
from tests.gear.requests import pricing_request

DAY = date(2025, 5, 12)


def test_defaults_are_the_rule_books() -> None:
    policy = PricingPolicy()
    assert policy.aging_rate == D("0.03")
    assert policy.source_weight("oews-2025") == 1
    assert [policy.quality_weight(q) for q in Quality] == [1, D("0.75"), D("0.5")]
    assert [policy.percentile_for(lv) for lv in Level] == [25, 50, 75, 90]
    assert all(policy.spread_for(lv) == D("0.5") for lv in [*Level, None])
    assert policy.positioning == 0
    assert policy.rounding_increment == 100
    assert (policy.min_organizations, policy.max_age_months) == (5, 36)


def test_per_level_spread_overrides_the_default() -> None:
    policy = PricingPolicy(range_spread="0.4", range_spreads={"expert": "0.8"})
    assert policy.spread_for(Level.EXPERT) == D("0.8")
    assert policy.spread_for(Level.JUNIOR) == D("0.4")
    assert policy.spread_for(None) == D("0.4")


def test_weights_given_as_strings_or_floats_become_exact_decimals() -> None:
    policy = PricingPolicy(source_weights={"mercer-2025": 0.75})
    assert policy.source_weight("mercer-2025") == D("0.75")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"source_weights": {"mercer-2025": -1}}, "source_weights.mercer-2025"),
        ({"source_weights": {"mercer-2025": 0}}, "source_weights.mercer-2025"),
        ({"quality_weights": {"exact": 1, "close": "-0.5", "partial": "0.5"}}, "quality_weights"),
        ({"quality_weights": {"exact": 1, "close": "0.75"}}, "quality_weights"),
        ({"range_spread": "2.01"}, "range_spread"),
        ({"range_spread": "-0.1"}, "range_spread"),
        ({"range_spreads": {"senior": 3}}, "range_spreads.senior"),
        ({"range_spreads": {"boss": "0.5"}}, "range_spreads.boss"),
        (
            {"level_percentiles": {"junior": 5, "intermediate": 50, "senior": 75, "expert": 90}},
            "level_percentiles.junior",
        ),
        (
            {"level_percentiles": {"junior": 25, "intermediate": 50, "senior": 75, "expert": 95}},
            "level_percentiles.expert",
        ),
        ({"level_percentiles": {"junior": 25}}, "level_percentiles"),
        ({"aging_rate": "0.6"}, "aging_rate"),
        ({"positioning": "-0.51"}, "positioning"),
        ({"rounding_increment": 0}, "rounding_increment"),
        ({"min_organizations": -1}, "min_organizations"),
        ({"max_age_months": 0}, "max_age_months"),
    ],
)
def test_out_of_range_settings_are_rejected_naming_the_field(kwargs, field) -> None:
    with pytest.raises(ValueError, match=re.escape(field)):
        PricingPolicy(**kwargs)


@pytest.mark.parametrize("spread", ["0", "2"])
def test_spread_bounds_are_inclusive(spread) -> None:
    assert PricingPolicy(range_spread=spread).range_spread == D(spread)


@pytest.mark.parametrize("adjustment", ["-0.30", "0", "0.3", "0.30"])
def test_match_adjustment_within_thirty_percent(adjustment) -> None:
    assert Match(source="s", job_code="x", adjustment=adjustment).adjustment == D(adjustment)


@pytest.mark.parametrize("adjustment", ["-0.3001", "0.31", "1"])
def test_match_adjustment_beyond_thirty_percent_is_rejected(adjustment) -> None:
    with pytest.raises(ValueError, match="adjustment"):
        Match(source="s", job_code="x", adjustment=adjustment)


def test_match_defaults_and_conversions() -> None:
    match = Match(source="oews-2025", job_code=" 151252 ", quality="close")
    assert (match.job_code, match.quality, match.adjustment) == ("15-1252", Quality.CLOSE, D(0))
    with pytest.raises(ValueError):
        Match(source="oews-2025", job_code="15-1252", quality="perfect")
    with pytest.raises(ValueError):
        Match(source="", job_code="15-1252")


def _request(**kw) -> PricingRequest:
    kw.setdefault("matches", [Match(source="oews-2025", job_code="15-1252")])
    return pricing_request(area="0041940", pricing_date=DAY, **kw)


@pytest.mark.parametrize("percentile", [10, 37, 90])
def test_request_percentile_10_to_90(percentile) -> None:
    assert _request(percentile=percentile).options.percentile == percentile


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"percentile": 9}, "percentile"),
        ({"percentile": 91}, "percentile"),
        ({"spread": D("2.5")}, "spread"),
        ({"spread": D("-0.1")}, "spread"),
    ],
)
def test_request_out_of_range_options_are_rejected(kw, field) -> None:
    with pytest.raises(ValueError, match=field):
        _request(**kw)


def test_request_needs_a_match() -> None:
    with pytest.raises(ValueError):
        _request(matches=[])
    assert isinstance(_request(matches=iter([Match(source="s", job_code="x")])).matches, tuple)


def test_request_positioning_is_bounded_like_the_policys(market, cut, price) -> None:
    market.add(cut())
    with pytest.raises((ValueError, PricingError)):
        price(positioning=D(-2))


def test_request_aging_rate_is_validated(market, cut, price) -> None:
    market.add(cut())
    with pytest.raises((ValueError, PricingError), match="aging_rate"):
        price(aging_rate=D(-1), pricing_date=date(2025, 1, 1))


def test_request_level_given_as_text(market, cut, price) -> None:
    market.add(cut())
    assert price(level="senior").target_percentile == 75


def test_float_settings_are_converted_like_the_weights() -> None:
    assert PricingPolicy(aging_rate=0.03) == PricingPolicy()
