"""The quote use case: priced for anyone who may view pricing, bad values named as fields."""

from __future__ import annotations

import attrs
import pytest

from pricing_core.access.model import Principal
from pricing_core.access.roles import Role
from pricing_core.access.system import CLI_PRINCIPAL
from pricing_core.errors import InvalidRequest, UnknownSource
from pricing_core.pricing.model import Match
from pricing_core.pricing.service import PriceJob
from pricing_core.requests.pricer import PriceInputs
from pricing_core.requests.quote import PriceQuote
from tests.gear.clock import FakeClock
from tests.unit.pricing.conftest import build_market, make_cut
from tests.unit.requests.conftest import INPUTS, STEP, T0, ListPolicyStore


@pytest.fixture
def quote() -> PriceQuote:
    market = build_market()
    market.add(make_cut())
    price = PriceInputs(
        price_job=PriceJob(market=market),
        policies=ListPolicyStore(),
        clock=FakeClock(T0, step=STEP),
    )
    return PriceQuote(price_inputs=price)


@pytest.mark.parametrize("role", list(Role))
def test_every_role_may_quote(quote: PriceQuote, role: Role) -> None:
    quoted = quote(Principal(role=role, user_id="u"), INPUTS)
    assert quoted.matched is None
    assert quoted.as_json()["market"]["p50"] == 150000.0


def test_the_command_line_quotes_as_its_system_actor(quote: PriceQuote) -> None:
    assert quote(CLI_PRINCIPAL, INPUTS).result.policy_version == 1


def test_errors_are_the_core_s(quote: PriceQuote) -> None:
    with pytest.raises(UnknownSource):
        quote(CLI_PRINCIPAL, attrs.evolve(INPUTS, matches=[Match(source="x", job_code="1")]))
    with pytest.raises(InvalidRequest) as caught:
        quote(CLI_PRINCIPAL, attrs.evolve(INPUTS, title="Engineer", matches=[]))
    assert caught.value.field == "title"
