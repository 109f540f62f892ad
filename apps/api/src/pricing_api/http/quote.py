"""POST /api/v1/pricing/quote: price a job without saving it (VIEW_JOB_PRICING).

The answer is exactly what `pricing price --json` prints for the same input: both build a
`Quote` and call `pricing_api.quoting.price_quote`.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, post

from pricing_api.http.documented import answer, problem_answers
from pricing_api.http.quote_schema import (
    MAX_QUOTE_BYTES,
    QUOTE_BODY,
    ExactJsonRequest,
    QuoteBody,
    QuoteOut,
)
from pricing_api.http.schemas import Caller, Services
from pricing_api.http.security import needs
from pricing_api.quoting import price_quote
from pricing_core.access.roles import Permission

__all__ = ["QuoteController"]


class QuoteController(Controller):
    path = "/api/v1/pricing"
    tags = ("pricing",)
    request_class = ExactJsonRequest
    request_max_body_size = MAX_QUOTE_BYTES

    @post(
        "/quote",
        opt=needs(Permission.VIEW_JOB_PRICING),
        status_code=200,
        sync_to_thread=True,
        summary="Price a job from a title or survey matches, without saving it",
        responses={
            **answer(200, QuoteOut, "The result JSON of pricing-method.md (as `pricing price`)."),
            **problem_answers(400, 401, 403, 413, 422, 503),
        },
    )
    def quote(
        self, data: Annotated[QuoteBody, QUOTE_BODY], services: Services, principal: Caller
    ) -> dict[str, Any]:
        """422 names the field: an ambiguous area lists its `candidates`; a percentile that
        contradicts the level, or that the market cannot interpolate, says so."""
        quoted = price_quote(services, principal, data.to_quote())
        # Counted here, not in price_quote: `pricing price` shares it and is no API quote.
        services.metrics.quote(quoted.result.confidence.label)
        return quoted.as_json()
