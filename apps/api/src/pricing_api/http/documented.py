"""OpenAPI answers of the pricing, market and readiness routes: their bodies and problems.

A handler that returns a plain dict (the JSON shape it shares with the command line) names
the msgspec struct that describes that dict here, so the schema, and Schemathesis reading it,
know every field.
"""

from __future__ import annotations

from typing import Any

from litestar.openapi.datastructures import ResponseSpec

from pricing_api.http.problems import PROBLEM_JSON
from pricing_api.http.schemas import Problem

__all__ = ["MAX_UPLOAD_BYTES", "answer", "problem_answers"]

MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # a survey file; larger answers 413

_DESCRIPTIONS = {
    400: "Malformed body or parameter, or an unknown field; `errors` names each one.",
    401: "No credentials, or credentials that do not verify (one answer for every cause).",
    403: "Authenticated, but the role lacks the permission this route declares.",
    404: "No such source, version or cut.",
    409: (
        "Clashes with what is stored: e.g. a file of another kind under an existing source's "
        "name (`source_kind_conflict`)."
    ),
    413: "Body larger than the route accepts (JSON bodies 64 KiB, survey files 50 MiB).",
    415: "A body of a media type this route does not take (a survey is CSV or XLSX).",
    422: (
        "A request that breaks a rule: unknown area (with the `candidates` an ambiguous name "
        "matches), unknown source, contradictory or unavailable percentile, no market data, "
        "rejected import (with every `problems` row); `errors` names the field."
    ),
    503: "A store needed to decide safely did not answer (revocation checks fail closed).",
}


def problem_answers(*statuses: int) -> dict[int, ResponseSpec]:
    """The problem-details answers a route can give, as OpenAPI response entries."""
    return {
        status: ResponseSpec(
            data_container=Problem,
            description=_DESCRIPTIONS[status],
            media_type=PROBLEM_JSON,
            generate_examples=False,
        )
        for status in sorted(set(statuses))
    }


def answer(status: int, body: Any, description: str) -> dict[int, ResponseSpec]:
    """The success answer of a handler that returns a dict shaped like the struct `body`."""
    return {
        status: ResponseSpec(data_container=body, description=description, generate_examples=False)
    }
