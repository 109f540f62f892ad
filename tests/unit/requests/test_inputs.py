"""A saved request's inputs: a title or matches (never both), bounded text, and an exact
JSON round trip so that re-pricing asks exactly what was asked."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from pricing_core.errors import InvalidRequest
from pricing_core.levels import Level
from pricing_core.pricing.model import Match, PricingRequest, PricingResult
from pricing_core.pricing.policy import PricingPolicy
from pricing_core.pricing.service import PriceJob
from pricing_core.requests.inputs import PricingInputs, inputs_as_json, inputs_from_json
from pricing_core.requests.pricer import PriceInputs
from tests.gear.clock import FakeClock
from tests.gear.requests import pricing_inputs
from tests.unit.pricing.conftest import build_market, make_cut
from tests.unit.recorded_metrics import RecordedMetrics
from tests.unit.requests.conftest import INPUTS, STEP, T0, ListPolicyStore

MATCH = Match(source="oews-2025", job_code="151252", quality="close", adjustment="0.05")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"area": "0041940"}, "title"),
        ({"area": "0041940", "title": "Engineer", "matches": [MATCH]}, "title"),
        ({"area": "0041940", "title": "   "}, "title"),
        ({"area": "0041940", "title": "Line\nbreak"}, "title"),
        ({"area": "0041940", "title": "x" * 201}, "title"),
        ({"area": " ", "title": "Engineer"}, "area"),
        ({"area": "0041940", "matches": [MATCH] * 21}, "matches"),
        ({"area": "0041940", "title": "Engineer", "percentile": 95}, "percentile"),
        ({"area": "0041940", "title": "Engineer", "level": "boss"}, "level"),
        ({"area": "0041940", "title": "Engineer", "spread": "2.5"}, "spread"),
        ({"area": "0041940", "title": "Engineer", "aging_rate": "0.9"}, "aging_rate"),
        ({"area": "0041940", "title": "Engineer", "positioning": "-0.6"}, "positioning"),
        ({"area": "0041940", "title": "Engineer", "pricing_date": date(1, 1, 1)}, "date"),
        ({"area": "0041940", "title": "Engineer", "pricing_date": date(1899, 12, 31)}, "date"),
        ({"area": "0041940", "title": "Engineer", "pricing_date": date(2101, 1, 1)}, "date"),
    ],
)
def test_bad_inputs_name_their_field(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidRequest) as caught:
        pricing_inputs(**kwargs)
    assert caught.value.field == field


@pytest.mark.parametrize(
    "inputs",
    [
        PricingInputs(title=" Senior Software Engineer ", area="San Jose"),
        pricing_inputs(
            matches=[MATCH, Match(source="mercer-2025", job_code="ENG-3")],
            area="0041940",
            industry="511200",
            pricing_date=date(2026, 2, 28),
            percentile=60,
            level=Level.SENIOR,
            positioning="0.0125",
            spread="0.45",
            aging_rate="-0.01",
        ),
    ],
)
def test_the_json_form_reads_back_exactly(inputs: PricingInputs) -> None:
    shown = inputs_as_json(inputs)
    assert inputs_from_json(shown) == inputs
    if inputs.matches:
        assert shown["matches"][0] == {
            "source": "oews-2025",
            "job_code": "15-1252",
            "quality": "close",
            "adjustment": "0.05",
        }
        assert shown["positioning"] == "0.0125"
        assert inputs_from_json(shown).options.positioning == Decimal("0.0125")
    else:
        assert (shown["title"], shown["matches"]) == ("Senior Software Engineer", None)


def test_a_title_without_a_matcher_is_refused_naming_it() -> None:
    price = PriceInputs(
        price_job=PriceJob(market=build_market().add(make_cut())),
        policies=ListPolicyStore(),
        clock=FakeClock(T0, step=STEP),
    )
    with pytest.raises(InvalidRequest) as caught:
        price(PricingInputs(title="Engineer", area="0041940"))
    assert caught.value.field == "title"
    assert price(INPUTS).policy_version == 1  # matches need no matcher


def test_each_price_is_reported_by_its_confidence_label() -> None:
    metrics = RecordedMetrics()
    price = PriceInputs(
        price_job=PriceJob(market=build_market().add(make_cut())),
        policies=ListPolicyStore(),
        clock=FakeClock(T0, step=STEP),
        metrics=metrics,
    )
    label = price(INPUTS).result["confidence"]["label"]
    price(INPUTS)
    with pytest.raises(InvalidRequest):
        price(PricingInputs(title="Engineer", area="0041940"))  # not priced: not counted
    assert metrics.of("quote") == {(label,): 2}


@given(day=st.dates())
@example(day=date(1, 1, 1))
@example(day=date(1899, 12, 31))
@example(day=date(1900, 1, 1))
@example(day=date(2100, 12, 31))
@example(day=date(2101, 1, 1))
def test_a_date_is_accepted_exactly_when_it_is_within_1900_to_2100(day: date) -> None:
    if date(1900, 1, 1) <= day <= date(2100, 12, 31):
        assert PricingInputs(title="Engineer", area="0041940", pricing_date=day).pricing_date == day
        return
    with pytest.raises(InvalidRequest) as refused:
        PricingInputs(title="Engineer", area="0041940", pricing_date=day)
    assert refused.value.field == "date"
    assert "1900-01-01" in refused.value.problem


def test_a_stored_date_outside_the_bounds_still_reads_but_does_not_price() -> None:
    stored = {**inputs_as_json(INPUTS), "date": "0001-01-01"}
    inputs = inputs_from_json(stored)  # saved before the bound existed: it still opens
    assert inputs.pricing_date == date(1, 1, 1)
    assert inputs_as_json(inputs) == stored
    market = build_market()
    market.add(make_cut())
    price = PriceInputs(
        price_job=PriceJob(market=market),
        policies=ListPolicyStore(),
        clock=FakeClock(T0, step=STEP),
    )
    with pytest.raises(InvalidRequest) as refused:
        price.price(inputs)
    assert refused.value.field == "date"


@attrs.frozen(kw_only=True)
class RecordingJob(PriceJob):
    priced: list[PricingRequest] = attrs.field(factory=list)

    def __call__(self, request: PricingRequest, policy: PricingPolicy) -> PricingResult:
        self.priced.append(request)
        return super().__call__(request, policy)


def test_the_options_asked_are_the_options_priced() -> None:
    """Quotes and saved requests price one options value: the one the inputs carry reaches
    the pricing request itself, not a copy rebuilt field by field (which could drop one)."""
    job = RecordingJob(market=build_market().add(make_cut()))
    price = PriceInputs(price_job=job, policies=ListPolicyStore(), clock=FakeClock(T0))
    asked = pricing_inputs(
        matches=[MATCH], area="0041940", percentile=60, positioning="0.0125", spread="0.45"
    )
    result, _ = price.price(asked)
    assert job.priced[0].options is asked.options
    assert (result.target_percentile, job.priced[0].pricing_date) == (60, T0.date())
