"""Saved pricing requests at the edge: decision bodies and list filters.

The body that creates or edits a request is the quote's (`QuoteBody`, quote_schema.py):
a request prices exactly what a quote prices, and is saved with it.
"""

from __future__ import annotations

from typing import Annotated

import msgspec

from pricing_api.http.quote_schema import Number, QuoteBody
from pricing_api.http.schemas import NO_NUL, Body
from pricing_core.requests.inputs import PricingInputs
from pricing_core.requests.model import AdjustedRange, RequestQuery, RequestStatus

__all__ = [
    "ApproveBody",
    "RangeBody",
    "RejectBody",
    "inputs_of",
    "request_query",
]

Comment = Annotated[str, msgspec.Meta(max_length=4000, pattern=NO_NUL)]


class RangeBody(Body):
    """An approver's own range, in the result's currency: minimum ≤ midpoint ≤ maximum."""

    minimum: Number
    midpoint: Number
    maximum: Number


class ApproveBody(Body):
    """Both optional; `comment` is required (the reason) when `adjusted_range` is given."""

    comment: Comment | None = None
    adjusted_range: RangeBody | None = None

    def adjusted(self) -> AdjustedRange | None:
        r = self.adjusted_range
        if r is None:
            return None
        return AdjustedRange(minimum=r.minimum, midpoint=r.midpoint, maximum=r.maximum)


class RejectBody(Body):
    """Why the recommendation is rejected (required, not blank)."""

    comment: Comment


def request_query(
    status: RequestStatus | None,
    job_code: str | None,
    area: str | None,
    created_by: str | None,
    limit: int,
    offset: int,
) -> RequestQuery:
    """The list filters of the query string (`area` is an area code, `created_by` an actor)."""
    return RequestQuery(
        statuses=() if status is None else (status,),
        job_code=job_code,
        area_code=area,
        created_by=created_by,
        limit=limit,
        offset=offset,
    )


def inputs_of(body: QuoteBody) -> PricingInputs:
    """A request's inputs from the quote body; bad values raise InvalidRequest naming them."""
    return body.to_quote()  # a quote and a request's inputs are one type
