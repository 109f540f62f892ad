"""Step 1 (finding an eligible cut) and step 2 (the geographic differential)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from pricing_core.market.model import ALL_OCCUPATIONS, MissingReason, Percentile
from pricing_core.pricing.policy import PricingPolicy
from pricing_core.pricing.resolution import (
    Resolved,
    area_chain,
    geographic_differential,
    resolve_cut,
)
from tests.unit.pricing.conftest import FakeMarket

DAY = date(2025, 5, 12)
OLD = date(2020, 1, 1)
SUPPRESSED = Percentile.missing(MissingReason.SUPPRESSED)


def _resolve(
    market: FakeMarket,
    area: str = "0041940",
    industry: str = "000000",
    job: str = "15-1252",
    source: str = "oews-2025",
) -> Resolved:
    found_source, found_area = market.source(source), market.area(area)
    assert found_source is not None
    assert found_area is not None
    return resolve_cut(
        market,
        found_source,
        job,
        found_area,
        industry,
        PricingPolicy(),
        DAY,
    )


def test_area_chain_walks_up_to_the_national_area(market) -> None:
    assert [a.code for a in area_chain(market, market.area("0041940"))] == [
        "0041940",
        "0600000",
        "0000000",
    ]
    assert [a.code for a in area_chain(market, market.area("0000000"))] == ["0000000"]


def test_exact_cut_has_no_notes(market, cut) -> None:
    c = cut(area_code="0041940")
    market.add(c, cut(area_code="0600000"))
    found = _resolve(market)
    assert found.cut == c
    assert found.notes == ()
    assert found.excluded is None


def test_the_requested_industry_cut_comes_first(market, cut) -> None:
    industry_cut = cut(industry_code="511200")
    market.add(cut(), industry_cut)
    found = _resolve(market, industry="511200")
    assert found.cut == industry_cut
    assert found.notes == ()


@pytest.mark.parametrize("present", [False, True])
def test_industry_fallback_to_cross_industry_of_the_same_area(market, cut, present) -> None:
    if present:  # an industry cut that is not eligible counts as missing
        market.add(cut(industry_code="511200", effective_date=OLD))
    market.add(cut(), cut(area_code="0600000", industry_code="511200"))
    found = _resolve(market, industry="511200")
    assert found.cut is not None
    assert (found.cut.area_code, found.cut.industry_code) == ("0041940", "000000")
    assert found.notes == ("industry_fallback",)


@pytest.mark.parametrize(
    ("area", "present", "used", "notes"),
    [
        ("0041940", ["0600000", "0000000"], "0600000", ("geo_fallback_state",)),
        ("0600004", ["0600000"], "0600000", ("geo_fallback_state",)),
        ("0041940", ["0000000"], "0000000", ("geo_fallback_national",)),
        ("0600000", ["0000000"], "0000000", ("geo_fallback_national",)),
    ],
)
def test_geo_fallback_walks_up_the_parents(market, cut, area, present, used, notes) -> None:
    market.add(*[cut(area_code=code) for code in present])
    found = _resolve(market, area=area)
    assert found.cut is not None
    assert found.cut.area_code == used
    assert found.notes == notes


def test_an_ineligible_area_cut_is_skipped_like_a_missing_one(market, cut) -> None:
    market.add(cut((1, 2, SUPPRESSED, 4, 5)), cut(area_code="0600000"))
    found = _resolve(market)
    assert found.cut is not None
    assert found.cut.area_code == "0600000"


def test_geo_and_industry_fallback_together(market, cut) -> None:
    market.add(cut(area_code="0000000"))
    found = _resolve(market, industry="511200")
    assert found.notes == ("geo_fallback_national", "industry_fallback")


def test_excluded_with_the_first_ineligible_reason_met(market, cut) -> None:
    market.add(
        cut((1, 2, Percentile.missing(MissingReason.HOURLY_ONLY), 4, 5)),
        cut(area_code="0600000", effective_date=OLD),
        cut((1, 2, SUPPRESSED, 4, 5), area_code="0000000"),
    )
    found = _resolve(market)
    assert found.cut is None
    assert found.excluded == "hourly_only"


def test_a_missing_cut_has_no_reason_the_next_ineligible_cut_gives_it(market, cut) -> None:
    market.add(
        cut(area_code="0600000", effective_date=OLD),
        cut((1, 2, SUPPRESSED, 4, 5), area_code="0000000"),
    )
    assert _resolve(market).excluded == "too_old"


def test_no_cut_anywhere_is_no_data(market) -> None:
    found = _resolve(market)
    assert (found.cut, found.excluded) == (None, "no_data")


def test_only_the_active_version_is_read(market, cut) -> None:
    market.add(cut(version="2024A01"))
    assert _resolve(market).excluded == "no_data"


def test_job_codes_are_looked_up_in_soc_form(market, cut) -> None:
    market.add(cut(job_code="151252"))
    assert _resolve(market).cut is not None


def test_gd_is_the_ratio_of_all_occupations_medians(market) -> None:
    oews = market.source("oews-2025")
    assert geographic_differential(market, oews, "0041940", "0600000") == D(80000) / D(60000)
    assert geographic_differential(market, oews, "0041940", "0000000") == D("1.6")
    assert geographic_differential(market, oews, "0600004", "0600000") == D(40000) / D(60000)
    assert geographic_differential(market, oews, "0041940", "0041940") == 1


def test_gd_is_unknown_when_a_median_is_missing(market, cut) -> None:
    oews = market.source("oews-2025")
    market.remove("oews-2025", ALL_OCCUPATIONS, "0600000")
    assert geographic_differential(market, oews, "0041940", "0600000") is None
    assert geographic_differential(market, oews, "0600000", "0000000") is None


def test_gd_needs_a_median_value_not_a_bound(market, cut) -> None:
    oews = market.source("oews-2025")
    market.add(
        cut((1, 2, Percentile.top_coded(), 4, 5), job_code=ALL_OCCUPATIONS, area_code="0600000")
    )
    assert geographic_differential(market, oews, "0041940", "0600000") is None


def test_gd_reads_the_same_source(market) -> None:
    survey = market.source("mercer-2025")
    assert geographic_differential(market, survey, "0041940", "0600000") is None
