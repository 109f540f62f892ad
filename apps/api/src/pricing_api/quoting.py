"""Pricing one job as both front doors ask for it: `pricing price` and POST /pricing/quote.

The command line and the REST API build a `Quote` from their own input and call
`price_quote`; `Quoted.as_json()` is the one answer both give (pricing-method.md's result JSON,
plus `title_match` when a title was priced), so the same input answers the same JSON.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Any

import attrs

from pricing_adapters.bootstrap import Container
from pricing_adapters.sql.timing import timed
from pricing_core.errors import InvalidRequest
from pricing_core.levels import Level
from pricing_core.market.model import ALL_INDUSTRIES
from pricing_core.pricing.by_title import PriceTitle, TitlePricing, title_match_json
from pricing_core.pricing.model import Match, PricingRequest, PricingResult
from pricing_core.pricing.presenting import result_as_json

__all__ = ["Quote", "Quoted", "price_quote", "values_checked"]


def _matches(matches: Any) -> tuple[Match, ...]:
    return tuple(matches)


@attrs.frozen(kw_only=True)
class Quote:
    """One job to price: a free-text `title` or explicit survey `matches`, never both.

    Unset options fall back to the policy in force; `pricing_date` to the clock's today.
    """

    area: str
    title: str | None = None
    matches: tuple[Match, ...] = attrs.field(default=(), converter=_matches)
    industry: str = ALL_INDUSTRIES
    pricing_date: date | None = None
    percentile: int | None = None
    level: Level | None = None
    positioning: Decimal | None = None
    spread: Decimal | None = None
    aging_rate: Decimal | None = None


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

    The command line has always answered bad values this way; the REST API answers the same.
    """
    try:
        yield
    except InvalidRequest:
        raise
    except ValueError as error:
        raise InvalidRequest("request", str(error)) from error


@timed("price_quote")  # in `pricing db stats` and the operation duration metric
def price_quote(services: Container, quote: Quote) -> Quoted:
    """Price `quote` under `services.policies.current()`; domain errors name the bad field."""
    with values_checked():
        return _price(services, quote)


def _price(services: Container, quote: Quote) -> Quoted:
    if bool(quote.title) == bool(quote.matches):
        raise InvalidRequest("title", "give either a title or at least one match, not both")
    when = quote.pricing_date or services.clock.today()
    policy = services.policies.current()
    options: dict[str, Any] = {
        "area": quote.area,
        "industry": quote.industry,
        "pricing_date": when,
        "percentile": quote.percentile,
        "level": quote.level,
        "positioning": quote.positioning,
        "spread": quote.spread,
        "aging_rate": quote.aging_rate,
    }
    if quote.title:
        by_title = PriceTitle(
            price_job=services.price_job,
            matcher=services.title_matcher,
            source=services.settings.title_source,
        )
        matched = by_title(quote.title, policy=policy, **options)
        return Quoted(result=matched.result, matched=matched)
    request = PricingRequest(matches=quote.matches, **options)
    return Quoted(result=services.price_job(request, policy))
