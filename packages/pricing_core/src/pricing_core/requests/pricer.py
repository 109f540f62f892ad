"""Pricing a request's inputs under the policy in force, into the JSON a request keeps."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from pricing_core.errors import InvalidRequest
from pricing_core.ports import Clock, Metrics
from pricing_core.pricing.by_title import PriceTitle, title_match_json
from pricing_core.pricing.model import PricingRequest
from pricing_core.pricing.ports import PolicyStore
from pricing_core.pricing.presenting import result_as_json
from pricing_core.pricing.service import PriceJob
from pricing_core.requests.inputs import PricingInputs

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

    def __call__(self, inputs: PricingInputs) -> Priced:
        policy = self.policies.current()
        when = inputs.pricing_date or self.clock.today()
        options: dict[str, Any] = {
            "industry": inputs.industry,
            "pricing_date": when,
            "percentile": inputs.percentile,
            "level": inputs.level,
            "positioning": inputs.positioning,
            "spread": inputs.spread,
            "aging_rate": inputs.aging_rate,
        }
        if inputs.title is not None:
            if self.price_title is None:
                raise InvalidRequest("title", "title matching is not available; give matches")
            found = self.price_title(inputs.title, area=inputs.area, policy=policy, **options)
            result, job_code = found.result, found.chosen.job_code
            payload = {**result_as_json(result), "title_match": title_match_json(found)}
        else:
            request = PricingRequest(matches=inputs.matches, area=inputs.area, **options)
            result, job_code = self.price_job(request, policy), inputs.matches[0].job_code
            payload = result_as_json(result)
        if self.metrics is not None:
            self.metrics.quote(result.confidence.label)
        return Priced(
            result=payload,
            job_code=job_code,
            area_code=result.area.code,
            dataset_versions=dict(result.dataset_versions),
            policy_version=result.policy_version,
        )
