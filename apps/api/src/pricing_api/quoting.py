"""Pricing one job as both front doors ask for it: `pricing price` and POST /pricing/quote.

The command line and the REST API build a `Quote` from their own input and call the core's
`PriceQuote` use case through `price_quote`; `Quoted.as_json()` is the one answer both give,
so the same input answers the same JSON.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from pricing_adapters.bootstrap import Container
from pricing_core.access.model import Principal
from pricing_core.errors import InvalidRequest
from pricing_core.requests.inputs import PricingInputs
from pricing_core.requests.quote import Quoted

__all__ = ["Quote", "Quoted", "price_quote", "values_checked"]


# A quote is what a saved request holds: the same inputs, checked the same way.
Quote = PricingInputs


@contextmanager
def values_checked() -> Iterator[None]:
    """A value constructor's ValueError (its message names the field) as InvalidRequest,
    for the values the front doors build before they call a use case."""
    try:
        yield
    except InvalidRequest:
        raise
    except ValueError as error:
        raise InvalidRequest("request", str(error)) from error


def price_quote(services: Container, principal: Principal, quote: Quote) -> Quoted:
    """Price `quote` for `principal` under the policy in force; timed, in `pricing db stats`
    and the operation duration metric."""
    with services.timing.timed("price_quote"):
        return services.price_quote(principal, quote)
