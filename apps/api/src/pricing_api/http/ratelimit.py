"""Request rate limits over HTTP: the guard that counts, the headers, the 429 answer.

Where the limit runs: a rate limit needs the caller, and the caller is known only once the
permission guard has authenticated — inside route handling, after every middleware. So
`rate_limited` is the app's guard and wraps the permission guard: it resolves the client
address first (from trusted proxies only; the audit log reads it), lets the permission guard
authenticate, then counts the request against the principal, or against the address when
anonymous. A request whose credentials fail (401) or that lacks the permission (403) is
counted as well (against its address, or its principal), so guessing tokens is limited too.
The decision is kept in the connection state; a `before_send` hook copies it into the
headers of whatever answer leaves, 2xx, 4xx or the 429 itself.

The 429 is a problem (RFC 9457) of type `quota-exceeded`, as the security checklist asks,
that also carries the members access.md fixes: `error`, `limit` and `reset_at`.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Awaitable, Callable
from typing import Any

import anyio.to_thread
from litestar import Litestar, Request, Response
from litestar.connection import ASGIConnection
from litestar.datastructures import MutableScopeHeaders, ResponseHeader
from litestar.handlers.base import BaseRouteHandler
from litestar.routes import HTTPRoute
from litestar.types import Message, Scope

from pricing_api.http.documented import RATE_LIMITED, problem_entries
from pricing_api.http.problems import PROBLEM_JSON, problem
from pricing_api.http.schemas import QuotaProblem
from pricing_core.access.fields import MAX_EMAIL
from pricing_core.access.model import normalise_email
from pricing_core.errors import Forbidden, NotAuthenticated
from pricing_core.ratelimit.client_ip import TrustedProxies
from pricing_core.ratelimit.model import Caller, Decision
from pricing_core.ratelimit.policy import RateLimitPolicy
from pricing_core.ratelimit.service import RateLimiter

__all__ = [
    "RATE_LIMIT_EXEMPT",
    "RATE_LIMIT_HANDLERS",
    "RATE_LIMIT_STATE",
    "RateLimitExceeded",
    "add_rate_limit_headers",
    "client_ip",
    "count_request",
    "document_rate_limits",
    "rate_limit_headers",
    "rate_limited",
]

RATE_LIMIT_STATE = "rate_limit"  # connection state key: the Decision of this request
RATE_LIMIT_EXEMPT = {"rate_limit": False}  # a route's `opt` that exempts it
Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], Awaitable[None]]
_MAX_TOKEN = 512  # refresh tokens are far shorter; a longer value only needs to be told apart


class RateLimitExceeded(Exception):
    """The request is over a quota; answered 429 by `too_many_requests`."""

    def __init__(self, decision: Decision) -> None:
        super().__init__("rate limit exceeded")
        self.decision = decision


def rate_limit_headers(decision: Decision) -> dict[str, str]:
    """X-RateLimit-* for the binding quota, and the IETF fields (Structured Fields lists)
    with one member per quota the request counted against."""
    states = decision.states
    return {
        "X-RateLimit-Limit": str(decision.limit),
        "X-RateLimit-Remaining": str(decision.remaining),
        "X-RateLimit-Reset": str(decision.reset_at),
        "RateLimit-Policy": ", ".join(
            f'"{s.quota.name}";q={s.quota.limit};w={s.quota.window}' for s in states
        ),
        "RateLimit": ", ".join(f'"{s.quota.name}";r={s.remaining};t={s.reset_in}' for s in states),
    }


async def add_rate_limit_headers(message: Message, scope: Scope) -> None:
    """`before_send`: every answer to a limited request carries the limit's headers."""
    if message["type"] != "http.response.start":
        return
    decision = (scope.get("state") or {}).get(RATE_LIMIT_STATE)
    if not isinstance(decision, Decision):
        return
    headers = MutableScopeHeaders.from_message(message)
    for name, value in rate_limit_headers(decision).items():
        headers[name] = value


def too_many_requests(_: Request[Any, Any, Any], error: RateLimitExceeded) -> Response[Any]:
    decision = error.decision
    quota = decision.binding.quota
    return problem(
        429,
        "rate_limit_exceeded",
        f"over the {quota.name} quota of {quota.limit} requests per {quota.window} s; "
        f"retry after {decision.retry_after} s",
        error="Rate limit exceeded",
        limit=decision.limit,
        reset_at=decision.reset_at,
        retry_after=decision.retry_after,  # also the Retry-After header
    )


RATE_LIMIT_HANDLERS: dict[int | type[Exception], Any] = {RateLimitExceeded: too_many_requests}


async def _account(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    """The account a login or refresh body names, read before any hash is computed. The body
    is cached by Litestar, so the handler parses the same bytes; its size limit applies."""
    if not isinstance(connection, Request) or connection.method != "POST":
        return None
    try:
        body = json.loads(await connection.body())
    except (ValueError, RecursionError):  # RecursionError: a body nested thousands deep
        return None  # the handler answers 400; the address quota still counts
    if not isinstance(body, dict):
        return None
    email, token = body.get("email"), body.get("refresh_token")
    if isinstance(email, str) and email.strip():
        return "email:" + normalise_email(email)[: MAX_EMAIL + 1]
    if isinstance(token, str) and token:
        return "refresh:" + token[:_MAX_TOKEN]
    return None


def client_ip(connection: ASGIConnection[Any, Any, Any, Any], trusted: TrustedProxies) -> str:
    """The client's address: the peer's, or X-Forwarded-For's when the peer is trusted."""
    peer = connection.client.host if connection.client else ""
    return trusted.client_ip(peer, connection.headers.getall("x-forwarded-for", []))


def rate_limited(
    limiter: RateLimiter, trusted: TrustedProxies, inner: Guard, *, in_process: bool = False
) -> Guard:
    """The app guard: client address, then `inner` (authentication and permission), then
    the rate limit. See the module docstring for why it wraps rather than follows.

    `in_process`: the counters live in this process's memory (no Redis), so a check takes
    microseconds and runs on the event loop; a hop to a worker thread cost more than that.
    Checks that may wait on Redis run in a thread."""
    policy = limiter.policy

    async def count(connection: ASGIConnection[Any, Any, Any, Any], path: str) -> None:
        await count_request(limiter, connection, path, in_process=in_process)

    async def guard(
        connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
    ) -> None:
        connection.state.client_ip = client_ip(connection, trusted)
        path = _path(connection)
        if not policy.enabled or policy.exempt(path) or _opted_out(handler):
            await inner(connection, handler)
            return
        try:
            await inner(connection, handler)
        except (NotAuthenticated, Forbidden):
            await count(connection, path)  # over the limit: 429 instead of 401/403
            raise
        await count(connection, path)

    return guard


async def count_request(
    limiter: RateLimiter,
    connection: ASGIConnection[Any, Any, Any, Any],
    path: str,
    *,
    in_process: bool,
) -> None:
    """Count one request against the caller's quota (`state.principal`, else its address);
    RateLimitExceeded when over. The pages count theirs once they know the signed-in user."""
    principal = getattr(connection.state, "principal", None)
    account = await _account(connection) if path in limiter.policy.auth_paths else None
    caller = Caller(ip=connection.state.client_ip, path=path, principal=principal, account=account)
    if in_process:
        decision = limiter.check(caller)
    else:
        decision = await anyio.to_thread.run_sync(limiter.check, caller)
    if decision is None:
        return
    connection.state[RATE_LIMIT_STATE] = decision
    if not decision.allowed:
        raise RateLimitExceeded(decision)


def _opted_out(handler: BaseRouteHandler) -> bool:
    """A route registered with `opt={"rate_limit": False}` (a probe or scrape whose path the
    policy does not list) is not limited either."""
    return handler.opt.get("rate_limit") is False


def _path(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    # The route's own path: what was routed, not how the client spelled it.
    template = connection.scope.get("path_template") or connection.url.path
    return str(template).rstrip("/") or "/"


_HEADER_DOCS = {
    "X-RateLimit-Limit": "Requests allowed in the window of the binding quota.",
    "X-RateLimit-Remaining": "Requests left in that window.",
    "X-RateLimit-Reset": "When a request is next allowed or a slot frees (epoch seconds).",
    "RateLimit-Policy": 'Quotas, as Structured Fields: `"peruser";q=100;w=3600`.',
    "RateLimit": 'Their state, as Structured Fields: `"peruser";r=42;t=1234`.',
}
_LIMITED = problem_entries({429: RATE_LIMITED}, 429)[429]


def document_rate_limits(app: Litestar, policy: RateLimitPolicy) -> None:
    """Declare the 429 answer and the limit headers on every limited route's OpenAPI entry.

    A route that already documents a 429 of its own (login's throttle) keeps one entry, the
    same problem schema (both answers fit it), with both causes in its description.
    """
    if not policy.enabled:
        return
    documented = [
        ResponseHeader(name=name, documentation_only=True, required=False, description=text)
        for name, text in _HEADER_DOCS.items()
    ]
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or policy.exempt(route.path):
            continue
        for handler in route.route_handlers:
            if _opted_out(handler):
                continue
            responses = dict(handler.responses or {})
            own = responses.get(429)
            if own is None:
                responses[429] = _LIMITED
            elif RATE_LIMITED not in own.description:  # handlers outlive one app
                responses[429] = dataclasses.replace(
                    own,
                    data_container=QuotaProblem,
                    media_type=PROBLEM_JSON,
                    description=f"{own.description} Or: {RATE_LIMITED}",
                )
            handler.responses = responses
            handler.response_headers = [*(handler.response_headers or ()), *documented]
