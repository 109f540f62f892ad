"""Pricing one job without saving it: what `pricing price` and POST /pricing/quote call."""

from __future__ import annotations

from typing import Any

import attrs

from pricing_core.access.audit import require
from pricing_core.access.model import Principal
from pricing_core.access.roles import Permission
from pricing_core.errors import InvalidRequest
from pricing_core.pricing.by_title import TitlePricing, title_match_json
from pricing_core.pricing.model import PricingResult
from pricing_core.pricing.presenting import result_as_json
from pricing_core.requests.inputs import PricingInputs
from pricing_core.requests.pricer import PriceInputs

__all__ = ["PriceQuote", "Quoted"]


@attrs.frozen(kw_only=True)
class Quoted:
    """A priced quote: the result, and the title match it came from (None for matches)."""

    result: PricingResult
    matched: TitlePricing | None = None

    def as_json(self) -> dict[str, Any]:
        """pricing-method.md's result JSON, plus `title_match` when a title was priced."""
        payload = result_as_json(self.result)
        if self.matched is not None:
            payload["title_match"] = title_match_json(self.matched)
        return payload


@attrs.frozen(kw_only=True)
class PriceQuote:
    """Price `inputs` under the policy in force; needs VIEW_JOB_PRICING.

    A value constructor's ValueError (its message names the field) is raised as
    InvalidRequest, so every caller answers bad values the same way.
    """

    price_inputs: PriceInputs

    def __call__(self, principal: Principal, inputs: PricingInputs) -> Quoted:
        require(principal, Permission.VIEW_JOB_PRICING)
        try:
            result, matched = self.price_inputs.price(inputs)
        except InvalidRequest:
            raise
        except ValueError as error:
            raise InvalidRequest("request", str(error)) from error
        return Quoted(result=result, matched=matched)
