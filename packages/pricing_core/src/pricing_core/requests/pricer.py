"""Pricing a request's inputs under the policy in force, into the JSON a request keeps."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from pricing_core.errors import InvalidRequest
from pricing_core.ports import Clock, Metrics
from pricing_core.pricing.by_title import PriceTitle, TitlePricing, title_match_json
from pricing_core.pricing.model import PricingRequest, PricingResult
from pricing_core.pricing.ports import PolicyStore
from pricing_core.pricing.presenting import result_as_json
from pricing_core.pricing.service import PriceJob
from pricing_core.requests.inputs import PricingInputs, check_pricing_date

__all__ = ["PriceInputs", "Priced"]


@attrs.frozen(kw_only=True)
class Priced:
    """A result JSON and the facts a request is filed under."""

    result: Mapping[str, Any]
    job_code: str
    area_code: str
    dataset_versions: Mapping[str, str]
    policy_version: int


@attrs.frozen(kw_only=True)
class PriceInputs:
    """Price with `policies.current()` and today's date unless the inputs give one.

    The result JSON records the policy version and the dataset versions it used; a title's
    result also says which occupation it was matched to (`title_match`). Each price is
    reported to `metrics` by its confidence label.
    """

    price_job: PriceJob
    policies: PolicyStore
    clock: Clock
    price_title: PriceTitle | None = None
    metrics: Metrics | None = None

    def price(self, inputs: PricingInputs) -> tuple[PricingResult, TitlePricing | None]:
        """The result, and the title match it came from (None for explicit matches).

        Quotes (`pricing price`, POST /pricing/quote) use this directly; saved requests go
        through the call below, which also counts the price and keeps its JSON.
        """
        check_pricing_date(inputs.pricing_date)  # a request stored before the bound existed
        policy = self.policies.current()
        when = inputs.pricing_date or self.clock.today()
        if inputs.title is not None:
            if self.price_title is None:
                raise InvalidRequest("title", "title matching is not available; give matches")
            found = self.price_title(
                inputs.title,
                area=inputs.area,
                pricing_date=when,
                policy=policy,
                options=inputs.options,
            )
            return found.result, found
        request = PricingRequest(
            matches=inputs.matches, area=inputs.area, pricing_date=when, options=inputs.options
        )
        return self.price_job(request, policy), None

    def __call__(self, inputs: PricingInputs) -> Priced:
        result, found = self.price(inputs)
        payload = result_as_json(result)
        if found is not None:
            payload["title_match"] = title_match_json(found)
        job_code = found.chosen.job_code if found is not None else inputs.matches[0].job_code
        if self.metrics is not None:
            self.metrics.quote(result.confidence.label)
        return Priced(
            result=payload,
            job_code=job_code,
            area_code=result.area.code,
            dataset_versions=dict(result.dataset_versions),
            policy_version=result.policy_version,
        )
