"""Request ids, request logs, HTTP metrics, error reporting and the `/metrics` route.

`start_api_process` starts the process (logs, Sentry, the statement figures) before the app is
built (Sentry's Litestar integration hooks into its construction); `instrument` then wraps the
whole app, so that every request, including a 404 no route matched, gets an id, a log line and
its count.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable, MutableMapping
from importlib.metadata import version
from typing import Any
from urllib.parse import parse_qs

from litestar import Litestar, Response, get
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from sentry_sdk.integrations.litestar import LitestarIntegration
from sentry_sdk.integrations.logging import ignore_logger
from sentry_sdk.transport import Transport

from pricing_adapters.bootstrap import Container
from pricing_adapters.logging_setup import REQUEST, SENSITIVE_KEY, RequestScope, request_id_from
from pricing_adapters.process import Process, start_process
from pricing_adapters.prometheus_metrics import CONTENT_TYPE, PrometheusMetrics
from pricing_adapters.sentry import is_reporting, secret_values
from pricing_api.http.documented import metrics_refusals
from pricing_api.http.metrics_access import METRICS_SCHEME, MetricsAccess
from pricing_api.http.security import PUBLIC
from pricing_core.access.audit import escape
from pricing_core.ratelimit.client_ip import TrustedProxies, parse_address

__all__ = ["LOGIN_PATH", "REQUEST_ID_HEADER", "instrument", "start_api_process"]

REQUEST_ID_HEADER = "x-request-id"
LOGIN_PATH = "/api/v1/auth/login"
UNMATCHED = "unmatched"  # the endpoint label of requests no route matched: never raw paths
LONG_COOKIE = 16  # a cookie this long is taken for a session id, whatever its name
BODY_KEPT = 64 * 1024  # of a JSON or form body, to find its secrets if an error is reported
log = logging.getLogger("pricing_api.request")


def start_api_process(container: Container, *, transport: Transport | None = None) -> Process:
    """Start an API process: logs, Sentry with Litestar's integration, and the statement
    figures `pricing db stats` reads; before `create_app`. `transport` is for tests."""
    # The 500 handler logs the exception Litestar's integration has just reported: once is
    # enough (Sentry's duplicate filter misses it: that hook runs in another context).
    ignore_logger("pricing_api")
    return start_process(
        container.settings,
        timing=container.timing,
        release=f"job-pricing@{version('pricing-api')}",
        integrations=[LitestarIntegration()],
        transport=transport,
    )


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


def _user_id(state: MutableMapping[str, Any]) -> str | None:
    principal = state.get("principal")
    return None if principal is None else str(principal.actor)


def _secrets(scope: Scope, body: bytearray) -> Iterable[str]:
    """What the request carried that must never reach an error report."""
    found: set[str] = set()
    authorization = _header(scope, b"authorization") or ""
    found.add(authorization.partition(" ")[2].strip())
    found.add(_header(scope, b"x-api-key") or "")
    for cookie in (_header(scope, b"cookie") or "").split(";"):
        name, _, content = (part.strip() for part in cookie.partition("="))
        if SENSITIVE_KEY.search(name) or len(content) >= LONG_COOKIE:
            found.add(content)
    text = body.decode("utf-8", "replace")
    try:
        found |= secret_values(json.loads(text))
    except ValueError:
        found |= secret_values(parse_qs(text))
    return found - {""}


class _Observed:
    """The outermost layer: id, timing, metrics and one log line for every HTTP request."""

    def __init__(self, app: ASGIApp, metrics: PrometheusMetrics, trusted: TrustedProxies) -> None:
        self.app = app
        self.metrics = metrics
        self.trusted = trusted

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        request_id = request_id_from(self._inbound_id(scope))
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        body = bytearray()
        keep_body = is_reporting()
        status = 500  # unless a response starts

        async def receiving() -> Any:
            message = await receive()
            if keep_body and message["type"] == "http.request" and len(body) < BODY_KEPT:
                body.extend(message.get("body", b"")[: BODY_KEPT - len(body)])
            return message

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [
                    (k, v) for k, v in message.get("headers", ()) if k.lower() != b"x-request-id"
                ]
                headers.append((b"x-request-id", request_id.encode()))
                message["headers"] = headers
            await send(message)

        token = REQUEST.set(
            RequestScope(
                request_id=request_id,
                user_id=lambda: _user_id(state),
                secrets=lambda: _secrets(scope, body),
            )
        )
        self.metrics.request_started()
        started = time.perf_counter()
        try:
            await self.app(scope, receiving, sending)
        finally:
            self._finish(scope, status, time.perf_counter() - started)
            REQUEST.reset(token)

    def _inbound_id(self, scope: Scope) -> str | None:
        """X-Request-ID from a trusted proxy (PRICING_TRUSTED_PROXIES): a client's own would
        choose what the audit rows of its request say. `request_id_from` keeps it only when
        well formed (1 to 128 of A-Z a-z 0-9 . _ : -, a letter or digit first)."""
        client = scope.get("client")
        if not self.trusted.trusts(parse_address(client[0]) if client else None):
            return None
        return _header(scope, REQUEST_ID_HEADER.encode())

    def _finish(self, scope: Scope, status: int, seconds: float) -> None:
        endpoint = scope.get("path_template") or UNMATCHED
        method = str(scope.get("method", ""))
        self.metrics.request_finished(method, endpoint, status, seconds)
        if endpoint == LOGIN_PATH and method == "POST" and status in {401, 429}:
            self.metrics.login_failed()
        fields: dict[str, Any] = {
            "method": method,
            "route": endpoint,
            "status": status,
            "duration_ms": round(seconds * 1000, 2),
        }
        if endpoint == UNMATCHED:
            fields["path"] = escape(scope.get("path", ""))
        log.log(logging.WARNING if status >= 500 else logging.INFO, "request", extra=fields)


def _metrics_route(metrics: PrometheusMetrics, access: MetricsAccess) -> Any:
    @get(
        "/metrics",
        # No user account (PUBLIC to the permission guard) and never rate limited, but only
        # the metrics token or an allowed network: metrics_access.py.
        opt={**PUBLIC, "rate_limit": False},
        guards=[access.guard()],
        security=[{METRICS_SCHEME: []}],
        responses=metrics_refusals(),
        media_type=CONTENT_TYPE,
        sync_to_thread=True,  # reads every process's files and the data versions
        tags=["operations"],
        summary="Prometheus metrics (every API process's, merged)",
        description=(
            "Answers `Authorization: Bearer <PRICING_METRICS_TOKEN>`, or with no credentials "
            "a client whose address is in PRICING_METRICS_NETWORKS (this host by default). "
            "Never rate limited."
        ),
    )
    def scrape() -> Response[bytes]:
        return Response(metrics.exposition(), media_type=CONTENT_TYPE)

    return scrape


def instrument(app: Litestar, container: Container) -> None:
    """The `/metrics` route and request observation (ids, logs, metrics)."""
    settings = container.settings
    app.register(_metrics_route(container.metrics, MetricsAccess.from_settings(settings)))
    trusted = TrustedProxies.parse(settings.trusted_proxies)
    app.asgi_handler = _Observed(app.asgi_handler, container.metrics, trusted)
