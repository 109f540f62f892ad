"""The result as pricing-method.md's JSON, and the explanation lines."""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest

from pricing_core.market.model import MissingReason, Percentile
from pricing_core.pricing.model import Match
from pricing_core.pricing.policy import PricingPolicy
from pricing_core.pricing.presenting import explain, result_as_json

TOP_KEYS = {
    "currency",
    "pricing_date",
    "area",
    "industry",
    "target_percentile",
    "market",
    "lower_bound",
    "market_rate",
    "range",
    "confidence",
    "contributions",
    "dataset_versions",
    "warnings",
}
CONTRIBUTION_KEYS = {
    "source",
    "version",
    "job_code",
    "area_requested",
    "area_used",
    "industry_used",
    "gd",
    "af",
    "adjustment",
    "weight",
    "score",
    "percentiles",
    "notes",
    "excluded",
}
FIGURES = ("gd", "af", "weight", "score", "percentiles")
SUPPRESSED = Percentile.missing(MissingReason.SUPPRESSED)


@pytest.fixture
def body(market, cut, price):
    market.add(
        cut(
            (SUPPRESSED, 120000, "150000.005", 180000, Percentile.top_coded()),
            area_code="0600000",
        )
    )
    result = price(
        Match(source="oews-2025", job_code="15-1252"), Match(source="oews-2025", job_code="11-1011")
    )
    return result, result_as_json(result)


def test_json_has_the_rule_books_keys(body) -> None:
    _, data = body
    assert set(data) >= TOP_KEYS
    assert set(data["range"]) == {"minimum", "midpoint", "maximum", "spread"}
    assert set(data["confidence"]) == {"score", "label", "reasons"}
    assert set(data["area"]) == {"code", "name"}
    for contribution in data["contributions"]:
        assert set(contribution) >= CONTRIBUTION_KEYS
    assert json.loads(json.dumps(data)) == data


def test_json_header(body) -> None:
    _, data = body
    assert data["currency"] == "USD"
    assert data["pricing_date"] == "2025-05-12"
    assert data["area"] == {"code": "0041940", "name": "San Jose-Sunnyvale-Santa Clara, CA"}
    assert (data["industry"], data["target_percentile"]) == ("000000", 50)
    assert data["dataset_versions"] == {"oews-2025": "2025A01"}


def test_json_market_figures_are_rounded_half_up_to_the_cent(body) -> None:
    result, data = body
    # 150,000.005 x 4/3 = 200,000.00666… → 200,000.01; P90 239,200 x 4/3 = 318,933.33…
    assert result.market[50] == D("150000.005") * (D(80000) / D(60000))
    assert data["market"] == {"p25": 160000.0, "p50": 200000.01, "p75": 240000.0, "p90": 318933.33}
    assert data["market_rate"] == 200000.01
    assert "p10" not in data["market"]  # missing percentiles are absent


def test_json_half_cent_rounds_up(market, cut, price) -> None:
    market.add(cut((1, 2, "100000.005", 200000, 300000)))
    data = result_as_json(price())
    assert data["market_rate"] == 100000.01
    assert data["market"]["p50"] == 100000.01


def test_json_range_is_whole_numbers(body) -> None:
    _, data = body
    r = data["range"]
    # 200,000.0067 / 1.25 = 160,000.005 → 160,000; × 1.5 = 240,000.008 → 240,000
    assert (r["minimum"], r["midpoint"], r["maximum"], r["spread"]) == (160000, 200000, 240000, 0.5)
    assert all(type(r[k]) is int for k in ("minimum", "midpoint", "maximum"))


def test_json_lower_bound_flags(body) -> None:
    _, data = body
    assert data["lower_bound"] == ["p90"]
    assert data["contributions"][0]["lower_bound"] == ["p90"]


def test_json_included_contribution(body) -> None:
    _, data = body
    c = data["contributions"][0]
    assert (c["source"], c["version"], c["job_code"]) == ("oews-2025", "2025A01", "15-1252")
    assert (c["area_requested"], c["area_used"], c["industry_used"]) == (
        "0041940",
        "0600000",
        "000000",
    )
    assert (c["gd"], c["af"], c["adjustment"], c["weight"]) == (1.3333, 1.0, 0.0, 1.0)
    assert c["score"] == 80  # state fallback 10 + top-coded 10
    assert c["percentiles"]["p50"] == 200000.01
    assert c["notes"] == ["geo_fallback_state"]
    assert c["excluded"] is None


def test_json_excluded_contribution_has_its_reason_and_no_figures(body) -> None:
    _, data = body
    c = data["contributions"][1]
    assert (c["job_code"], c["excluded"]) == ("11-1011", "no_data")
    assert all(c[key] is None for key in FIGURES)
    assert c["area_used"] is None
    assert data["warnings"] == ["oews-2025 11-1011 excluded: no_data"]


def test_json_confidence(body) -> None:
    _, data = body
    assert data["confidence"] == {
        "score": 70,
        "label": "medium",
        "reasons": [
            "oews-2025 15-1252: geo fallback to state: -10",
            "oews-2025 15-1252: top-coded percentile used: -10",
            "single source: -10",
        ],
    }


def test_json_range_agrees_with_the_result_for_a_fractional_increment(market, cut, price) -> None:
    market.add(cut((1, 2, "1285.71", 2000, 3000)))
    result = price(spread=D("0.4"), policy=PricingPolicy(rounding_increment="0.01"))
    assert result.range.midpoint == D("1285.71")
    # The figure as the policy rounded it, not re-rounded to a whole unit.
    assert result_as_json(result)["range"]["midpoint"] == 1285.71


def test_explain_has_a_line_per_contribution_and_per_step(body) -> None:
    result, _ = body
    lines = explain(result)
    assert len(lines) == len(result.contributions) + 3
    assert "0600000 instead of 0041940" in lines[0]
    assert "GD 1.3333" in lines[0]
    assert lines[1].endswith("excluded (no_data)")
    assert "P90 USD 318,933.33 (at least)" in lines[2]
    assert lines[3] == "market rate: P50 = USD 200,000.01"
    assert "USD 160,000 – 200,000 – 240,000" in lines[4]
