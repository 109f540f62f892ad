"""The rule book on the real BLS OEWS May 2025 extract, checked to the cent.

Expected figures are recomputed here from the published BLS values with the rule book's
formulas at 40-digit precision (ln/exp rather than the code's power function), so a slip in
the code's arithmetic or in the extract shows up as a cent difference.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

import pytest

from pricing_adapters.bootstrap import Container
from pricing_core.errors import NoMarketData
from pricing_core.pricing.model import Match, PricingResult
from pricing_core.pricing.presenting import result_as_json
from tests.gear.requests import pricing_request

EFFECTIVE = date(2025, 5, 12)  # OEWS May 2025: the 12th of the reference month


def aged(value: int | Decimal, pricing_date: date, gd: Decimal = Decimal(1)) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 40
        years = Decimal((pricing_date - EFFECTIVE).days) / Decimal("365.25")
        factor = (Decimal("1.03").ln() * years).exp()
        exact = Decimal(value) * gd * factor
    return exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def price(container: Container, job: str, area: str, when: date, **options: Any) -> PricingResult:
    request = pricing_request(
        matches=[Match(source="oews-2025", job_code=job)], area=area, pricing_date=when, **options
    )
    return container.price_job(request, container.policies.current())


def cents(result: PricingResult) -> dict[str, float]:
    market: dict[str, float] = result_as_json(result)["market"]
    return market


def test_software_developers_in_san_jose_to_the_cent(container: Container) -> None:
    when = date(2026, 1, 1)
    result = price(container, "15-1252", "0041940", when)
    published = {"p10": 138420, "p25": 173650, "p50": 213110, "p75": 226080, "p90": 289150}
    assert cents(result) == {p: float(aged(v, when)) for p, v in published.items()}
    body = result_as_json(result)
    assert body["market_rate"] == float(aged(213110, when))
    # min = mid / 1.25 and max = min * 1.5, each rounded half up to 100 from unrounded values
    assert body["range"] == {
        "minimum": 173700,
        "midpoint": 217200,
        "maximum": 260600,
        "spread": 0.5,
    }
    assert body["confidence"] == {"score": 90, "label": "high", "reasons": ["single source: -10"]}
    assert body["dataset_versions"] == {"oews-2025": "2025A01"}
    (contribution,) = body["contributions"]
    assert contribution["af"] == 1.0191
    assert contribution["area_used"] == "0041940"
    assert contribution["notes"] == []


def test_national_spot_check_matches_the_published_median(container: Container) -> None:
    result = price(container, "151252", "0000000", EFFECTIVE)
    assert result.market[50] == Decimal(135980)
    all_jobs = price(container, "00-0000", "0000000", EFFECTIVE)
    assert all_jobs.market[50] == Decimal(50980)


def test_metro_without_the_occupation_falls_back_to_its_state(container: Container) -> None:
    # Chief Executives: San Jose's estimate is not released (footnote 8); California's is.
    when = date(2026, 1, 1)
    result = price(container, "11-1011", "0041940", when)
    (c,) = result.contributions
    assert (c.area_used, c.notes) == ("0600000", ("geo_fallback_state",))
    gd = Decimal(84050) / Decimal(58240)  # all-occupations medians, San Jose / California
    assert c.gd == gd
    assert cents(result)["p50"] == float(aged(218600, when, gd))
    assert result.confidence.score == 80
    assert "geo fallback to state: -10" in result.confidence.reasons


def test_state_without_the_occupation_falls_back_to_national(container: Container) -> None:
    # Advertising and Promotions Managers: no Wyoming or Cheyenne estimate.
    when = date(2026, 1, 1)
    result = price(container, "11-2011", "0016940", when)
    (c,) = result.contributions
    assert (c.area_used, c.notes) == ("0000000", ("geo_fallback_national",))
    gd = Decimal(51540) / Decimal(50980)
    assert cents(result)["p50"] == float(aged(133660, when, gd))
    assert result.confidence.score == 70


def test_top_coded_percentile_is_a_lower_bound_at_the_nearest_lower_value(
    container: Container,
) -> None:
    # Anesthesiologists in Grand Rapids: P90 top-coded, P75 published at 384,800, above the
    # 239,200 threshold, so the bound is 384,800.
    when = date(2026, 1, 1)
    result = price(container, "29-1211", "0024340", when, percentile=90)
    body = result_as_json(result)
    assert body["lower_bound"] == ["p90"]
    assert body["market"]["p90"] == float(aged(384800, when))
    assert body["market_rate"] == float(aged(384800, when))
    assert any("lower bound" in w for w in result.warnings)
    assert "top-coded percentile used: -10" in result.confidence.reasons


def test_industry_cut_nationally_and_industry_fallback_in_a_metro(container: Container) -> None:
    when = date(2026, 1, 1)
    national = price(container, "15-1252", "0000000", when, industry="541500")
    (c,) = national.contributions
    assert (c.industry_used, c.notes) == ("541500", ())
    assert cents(national)["p50"] == float(aged(132050, when))
    metro = price(container, "15-1252", "0041940", when, industry="541500")
    (m,) = metro.contributions
    assert (m.industry_used, m.notes) == ("000000", ("industry_fallback",))
    assert "industry fallback: -5" in metro.confidence.reasons


def test_backward_aging_when_data_is_newer_than_the_pricing_date(container: Container) -> None:
    when = date(2024, 11, 1)
    result = price(container, "15-1252", "0041940", when)
    assert cents(result)["p50"] == float(aged(213110, when))
    assert result.market[50] < Decimal(213110)


def test_old_data_is_excluded_and_nothing_is_priced(container: Container) -> None:
    # 36 calendar months after 2025-05-12 is 2028-05-12: the next day is too old.
    assert price(container, "15-1252", "0041940", date(2028, 5, 12)).market[50] > 0
    with pytest.raises(NoMarketData) as caught:
        price(container, "15-1252", "0041940", date(2028, 5, 13))
    assert caught.value.details["excluded"][0]["reason"] == "too_old"


def test_hourly_only_occupation_is_excluded_with_its_reason(container: Container) -> None:
    # Actors (27-2011) publish hourly wages only: no annual figure anywhere.
    with pytest.raises(NoMarketData) as caught:
        price(container, "27-2011", "0000000", date(2026, 1, 1))
    assert caught.value.details["excluded"][0]["reason"] == "hourly_only"
