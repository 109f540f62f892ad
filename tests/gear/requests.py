"""Pricing requests from one flat set of fields, as the tests' tables write them."""

from __future__ import annotations

from typing import Any

import attrs

from pricing_core.pricing.model import PricingOptions, PricingRequest
from pricing_core.requests.inputs import PricingInputs

__all__ = ["OPTION_FIELDS", "pricing_inputs", "pricing_request", "split_options"]

OPTION_FIELDS = frozenset(a.name for a in attrs.fields(PricingOptions))


def split_options(fields: dict[str, Any]) -> tuple[dict[str, Any], PricingOptions]:
    """(the other fields, the options among them)."""
    rest = {k: v for k, v in fields.items() if k not in OPTION_FIELDS}
    return rest, PricingOptions(**{k: v for k, v in fields.items() if k in OPTION_FIELDS})


def pricing_request(**fields: Any) -> PricingRequest:
    """A `PricingRequest` whose option fields (percentile, level, …) go to its options."""
    rest, options = split_options(fields)
    return PricingRequest(**rest, options=options)


def pricing_inputs(**fields: Any) -> PricingInputs:
    """`PricingInputs` whose option fields (percentile, level, …) go to its options."""
    rest, options = split_options(fields)
    return PricingInputs(**rest, options=options)
