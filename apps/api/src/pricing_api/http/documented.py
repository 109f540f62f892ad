"""The OpenAPI answers of every route: problem answers from one table, and body answers.

Every problem answer a route documents is built here, from `PROBLEMS` (what each status
means anywhere) and the texts of one area (access, market, saved requests, /metrics), so
the descriptions of the API's errors live in one place. A 429 is a `QuotaProblem`, any
other error a `Problem`.

A handler that returns a plain dict (the JSON shape it shares with the command line) names
the msgspec struct that describes that dict with `answer`, so the schema, and Schemathesis
reading it, know every field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar.openapi.datastructures import ResponseSpec

from pricing_api.http.problems import PROBLEM_JSON
from pricing_api.http.schemas import MAX_BODY_BYTES, Problem, QuotaProblem

__all__ = [
    "ACCESS_PROBLEMS",
    "MARKET_PROBLEMS",
    "MAX_UPLOAD_BYTES",
    "METRICS_PROBLEMS",
    "POLICY_PROBLEMS",
    "PROBLEMS",
    "RATE_LIMITED",
    "REQUEST_PROBLEMS",
    "access_problems",
    "answer",
    "metrics_refusals",
    "problem_answers",
    "problem_entries",
    "request_problems",
]

MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # a survey file; larger answers 413

# What each status means on any route.
PROBLEMS: Mapping[int, str] = {
    400: "Malformed body or parameter, or an unknown field; `errors` names each one.",
    401: "No credentials, or credentials that do not verify (one answer for every cause).",
    403: "Authenticated, but the role lacks the permission this route declares.",
    404: "No such object.",
    409: "Conflicts with what is stored.",
    413: "Body larger than the route accepts.",
    415: "A body of a media type this route does not take.",
    422: "A field breaks a rule; `errors` names the field.",
    429: "Too many attempts: retry after the `Retry-After` header's seconds.",
    503: "A store needed to decide safely did not answer (revocation checks fail closed).",
}

# The request rate limit's 429, which document_rate_limits adds to every limited route.
RATE_LIMITED = (
    "Over the request rate limit: retry after `Retry-After` seconds. Carries "
    "`RateLimit-Policy`, `RateLimit` and `X-RateLimit-*`; the problem (type `quota-exceeded`, "
    '`code` `rate_limit_exceeded`) also has `"error": "Rate limit exceeded"`, `limit` and '
    "`reset_at` (epoch seconds)."
)

ACCESS_PROBLEMS: Mapping[int, str] = {
    409: "Conflicts with what is stored (an email taken, an action on your own account).",
    413: f"Body larger than {MAX_BODY_BYTES} bytes.",
    422: "A field breaks a rule (password policy, role name, page bounds); `errors` says why.",
}

MARKET_PROBLEMS: Mapping[int, str] = {
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
}

REQUEST_PROBLEMS: Mapping[int, str] = {
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
    422: (
        "A field breaks a rule (unknown area, unavailable percentile, no market data, a range "
        "with minimum above midpoint, a missing comment); `errors` names the field."
    ),
}

# PUT /settings/pricing-policy words two statuses its own way.
POLICY_PROBLEMS: Mapping[int, str] = {
    409: "Another change was saved at the same moment and took this version number: retry.",
    422: "A setting out of its range or of the wrong shape; `errors` names it. Nothing changed.",
}

METRICS_PROBLEMS: Mapping[int, str] = {
    401: "A metrics token is configured and the request carries none (`WWW-Authenticate: Bearer`).",
    403: "Neither the metrics token nor a client address in PRICING_METRICS_NETWORKS.",
}


def problem_entries(described: Mapping[int, str], *statuses: int) -> dict[int, ResponseSpec]:
    """OpenAPI entries for the problem answers `statuses`, worded by `described` where it
    says something, else by `PROBLEMS`."""
    return {
        status: ResponseSpec(
            data_container=QuotaProblem if status == 429 else Problem,
            description=described.get(status) or PROBLEMS[status],
            media_type=PROBLEM_JSON,
            generate_examples=False,
        )
        for status in sorted(set(statuses))
    }


def access_problems(*statuses: int) -> dict[int, ResponseSpec]:
    """The problem answers of an access route (accounts, keys, audit)."""
    return problem_entries(ACCESS_PROBLEMS, *statuses)


def problem_answers(*statuses: int) -> dict[int, ResponseSpec]:
    """The problem answers of a market, quote or readiness route."""
    return problem_entries(MARKET_PROBLEMS, *statuses)


def request_problems(
    *statuses: int, described: Mapping[int, str] | None = None
) -> dict[int, ResponseSpec]:
    """The problem answers of a saved-request or settings route; `described` words some
    statuses for this route alone."""
    return problem_entries({**REQUEST_PROBLEMS, **(described or {})}, *statuses)


def metrics_refusals() -> dict[int, ResponseSpec]:
    """The problem answers of a refused scrape of /metrics."""
    return problem_entries(METRICS_PROBLEMS, 401, 403)


def answer(status: int, body: Any, description: str) -> dict[int, ResponseSpec]:
    """The success answer of a handler that returns a dict shaped like the struct `body`."""
    return {
        status: ResponseSpec(data_container=body, description=description, generate_examples=False)
    }
