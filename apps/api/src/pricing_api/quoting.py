"""Pricing one job as both front doors ask for it: `pricing price` and POST /pricing/quote.

The command line and the REST API build a `Quote` from their own input and call
`price_quote`; `Quoted.as_json()` is the one answer both give (pricing-method.md's result JSON,
plus `title_match` when a title was priced), so the same input answers the same JSON.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import attrs

from pricing_adapters.bootstrap import Container
from pricing_core.errors import InvalidRequest
from pricing_core.pricing.by_title import TitlePricing, title_match_json
from pricing_core.pricing.model import PricingResult
from pricing_core.pricing.presenting import result_as_json
from pricing_core.requests.inputs import PricingInputs

__all__ = ["Quote", "Quoted", "price_quote", "values_checked"]


# A quote is what a saved request holds: the same inputs, checked the same way.
Quote = PricingInputs


@attrs.frozen(kw_only=True)
class Quoted:
    """A priced quote: the result, and the title match it came from (None for matches)."""

    result: PricingResult
    matched: TitlePricing | None = None

    def as_json(self) -> dict[str, Any]:
        payload = result_as_json(self.result)
        if self.matched is not None:
            payload["title_match"] = title_match_json(self.matched)
        return payload


@contextmanager
def values_checked() -> Iterator[None]:
    """A value constructor's ValueError (its message names the field) as InvalidRequest.

    The command line and the REST API both answer bad values this way.
    """
    try:
        yield
    except InvalidRequest:
        raise
    except ValueError as error:
        raise InvalidRequest("request", str(error)) from error


def price_quote(services: Container, quote: Quote) -> Quoted:
    """Price `quote` under `services.policies.current()`; domain errors name the bad field."""
    # Timed: in `pricing db stats` and the operation duration metric.
    with services.timing.timed("price_quote"), values_checked():
        result, matched = services.requests.price_inputs.price(quote)
    return Quoted(result=result, matched=matched)
