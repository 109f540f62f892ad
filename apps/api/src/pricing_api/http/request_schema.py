"""Saved pricing requests at the edge: decision bodies, list filters, problem answers.

The body that creates or edits a request is the quote's (`QuoteBody`, quote_schema.py):
a request prices exactly what a quote prices, and is saved with it.
"""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar.openapi.datastructures import ResponseSpec

from pricing_api.http.problems import PROBLEM_JSON
from pricing_api.http.quote_schema import Number, QuoteBody
from pricing_api.http.schemas import NO_NUL, Body, Problem
from pricing_core.requests.inputs import PricingInputs
from pricing_core.requests.model import AdjustedRange, RequestQuery, RequestStatus

__all__ = [
    "ApproveBody",
    "RangeBody",
    "RejectBody",
    "inputs_of",
    "request_problems",
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


_DESCRIPTIONS = {
    400: "Malformed body or parameter, or an unknown field; `errors` names each one.",
    401: "No credentials, or credentials that do not verify (one answer for every cause).",
    403: (
        "The role lacks the permission; or a workflow rule refuses: the four-eyes rule (its "
        "creator cannot approve it), a draft edited or submitted by someone but its creator, "
        "a decision made with an API key."
    ),
    404: "No such pricing request (or it was deleted).",
    409: (
        "The request's status does not allow this (only drafts are edited or submitted, only "
        "submitted ones decided, only decided ones re-priced), or it changed meanwhile."
    ),
    413: "Body larger than the route accepts.",
    422: (
        "A field breaks a rule (unknown area, unavailable percentile, no market data, a range "
        "with minimum above midpoint, a missing comment); `errors` names the field."
    ),
    503: "A store needed to decide safely did not answer (revocation checks fail closed).",
}


def request_problems(
    *statuses: int, described: dict[int, str] | None = None
) -> dict[int, ResponseSpec]:
    """The problem-details answers a route can give, as OpenAPI response entries;
    `described` replaces the descriptions of some statuses."""
    descriptions = {**_DESCRIPTIONS, **(described or {})}
    return {
        status: ResponseSpec(
            data_container=Problem,
            description=descriptions[status],
            media_type=PROBLEM_JSON,
            generate_examples=False,
        )
        for status in sorted(set(statuses))
    }
