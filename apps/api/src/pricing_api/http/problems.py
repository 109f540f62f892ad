"""One table from domain errors to HTTP statuses, and RFC 9457 problem-details bodies."""

from __future__ import annotations

import logging
import re
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException

from pricing_adapters.sql.errors import DATABASE_DOWN, VALUE_REFUSED, refused_value_kind
from pricing_core.errors import (
    Conflict,
    CurrencyMismatch,
    Forbidden,
    InvalidRequest,
    NoMarketData,
    NotAuthenticated,
    NotFound,
    PercentileUnavailable,
    PricingError,
    ServiceUnavailable,
    TooManyAttempts,
    UnknownArea,
    UnknownSource,
)

__all__ = [
    "EXCEPTION_HANDLERS",
    "FIELD_BY_ERROR",
    "PROBLEM_JSON",
    "QUOTA_EXCEEDED",
    "STATUS_BY_ERROR",
    "TYPE_BASE",
    "problem",
]

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://job-pricing.dev/problems/"  # a stable identifier, not fetched
# Every 429 is this one type (security checklist 23), whichever quota refused: the request
# rate limit or the login failure throttle. Their `code` still tells them apart.
QUOTA_EXCEEDED = "quota-exceeded"
log = logging.getLogger("pricing_api")

# Most specific first: the first class an error is an instance of decides its status.
STATUS_BY_ERROR: tuple[tuple[type[PricingError], int], ...] = (
    (TooManyAttempts, 429),
    (NotAuthenticated, 401),
    (Forbidden, 403),
    (NotFound, 404),
    (Conflict, 409),
    (InvalidRequest, 422),
    (UnknownArea, 422),
    (UnknownSource, 422),
    (PercentileUnavailable, 422),
    (CurrencyMismatch, 422),
    (NoMarketData, 422),
    (ServiceUnavailable, 503),
    (PricingError, 400),
)
TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Payload too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    429: "Too many requests",
    500: "Internal server error",
    503: "Service unavailable",
}


def problem(status: int, code: str, detail: str, **extra: Any) -> Response[dict[str, Any]]:
    body = {
        "type": TYPE_BASE + (QUOTA_EXCEEDED if status == 429 else code),
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "code": code,
        **extra,
    }
    headers = {}
    if "retry_after" in extra:
        headers["Retry-After"] = str(extra["retry_after"])
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="job-pricing"'
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def status_for(error: PricingError) -> int:
    return next(status for kind, status in STATUS_BY_ERROR if isinstance(error, kind))


# The request field a domain error is about, for the `errors` list of its problem body.
FIELD_BY_ERROR: tuple[tuple[type[PricingError], str], ...] = (
    (UnknownArea, "area"),
    (UnknownSource, "source"),
    (PercentileUnavailable, "percentile"),
    (CurrencyMismatch, "matches"),
)


RESERVED = frozenset({"type", "title", "status", "detail", "code"})


def _domain(_: Request[Any, Any, Any], error: PricingError) -> Response[dict[str, Any]]:
    # An error's own detail never overwrites a member problem details defines.
    extra = {(f"error_{k}" if k in RESERVED else k): v for k, v in error.details.items()}
    if isinstance(error, InvalidRequest):
        extra["errors"] = [{"field": error.field, "message": error.problem}]
    else:
        named = next((field for kind, field in FIELD_BY_ERROR if isinstance(error, kind)), None)
        if named is not None:
            extra["errors"] = [{"field": named, "message": error.message}]
    return problem(status_for(error), error.code, error.message, **extra)


# msgspec names a field it did not expect (or missed) in the message, and the object holding
# it in the key ("data" for the body itself): `matches[0]` + `zz` → `matches[0].zz`.
_NAMED_FIELD = re.compile(r"(?:unknown|missing required) field `([^`]*)`")
_WHOLE_BODY = {"data", "body", ""}


def _field_of(item: dict[str, Any]) -> str:
    key = str(item.get("key") or "")
    named = _NAMED_FIELD.search(str(item.get("message", "")))
    if named is None:
        return key or str(item.get("source") or "body")
    return named.group(1) if key in _WHOLE_BODY else f"{key}.{named.group(1)}"


def _validation(_: Request[Any, Any, Any], error: ValidationException) -> Response[dict[str, Any]]:
    errors = []
    for item in error.extra if isinstance(error.extra, list) else []:
        if isinstance(item, dict):
            field = _field_of(item)
            errors.append({"field": field, "message": str(item.get("message", "invalid"))})
    detail = errors[0]["message"] if len(errors) == 1 else (error.detail or "invalid request")
    return problem(400, "invalid_request", detail, errors=errors)


def _http(_: Request[Any, Any, Any], error: HTTPException) -> Response[dict[str, Any]]:
    status = error.status_code
    code = TITLES.get(status, "error").lower().replace(" ", "_")
    extra: dict[str, Any] = {}
    if error.headers and "Retry-After" in error.headers:
        extra["retry_after"] = int(error.headers["Retry-After"])
    answer = problem(status, code, error.detail or TITLES.get(status, "error"), **extra)
    # Litestar's own headers for the answer: `Allow` on a 405 (RFC 9110 requires it).
    for name, value in (error.headers or {}).items():
        answer.headers.setdefault(name, value)
    return answer


def _unexpected(request: Request[Any, Any, Any], error: Exception) -> Response[dict[str, Any]]:
    # The trace goes to the log (and error reporting), never to the caller.
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=error)
    return problem(500, "internal_error", "an unexpected error occurred; it has been logged")


def _database_down(request: Request[Any, Any, Any], error: Exception) -> Response[dict[str, Any]]:
    # Connection-level failures only (OperationalError, InterfaceError, a full pool): the
    # database did not answer, so the caller may retry; anything else stays a 500.
    log.warning("database unavailable on %s %s: %s", request.method, request.url.path, error)
    return problem(503, "database_unavailable", "the database did not answer; try again shortly")


def _unstorable(request: Request[Any, Any, Any], error: Exception) -> Response[dict[str, Any]]:
    # The database refused a value the request carried (PostgreSQL keeps no NUL in text,
    # numbers have ranges): the caller's input, not our fault. The guard and the body types
    # refuse the usual ones with their field named; this is the backstop for the rest.
    log.warning(
        "value refused by the database on %s %s: %s",
        request.method,
        request.url.path,
        refused_value_kind(error),
    )
    return problem(
        400,
        "invalid_value",
        "a value in the request cannot be stored (text with a NUL character, or a number "
        "out of range)",
    )


def _too_deep(request: Request[Any, Any, Any], _: RecursionError) -> Response[dict[str, Any]]:
    # Nothing of ours recurses on input; a JSON body nested thousands deep makes the decoder.
    log.warning("body nested too deeply on %s %s", request.method, request.url.path)
    return problem(400, "bad_request", "the request body is nested too deeply")


EXCEPTION_HANDLERS: dict[int | type[Exception], Any] = {
    **dict.fromkeys(VALUE_REFUSED, _unstorable),
    RecursionError: _too_deep,
    **dict.fromkeys(DATABASE_DOWN, _database_down),
    PricingError: _domain,
    ValidationException: _validation,
    HTTPException: _http,
    Exception: _unexpected,
}
