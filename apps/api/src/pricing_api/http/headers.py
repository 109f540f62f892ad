"""Security headers on every answer, whatever produced it (a route, a 404, a 405, a 500).

- `X-Content-Type-Options: nosniff` and `Referrer-Policy: no-referrer` everywhere.
- `Content-Security-Policy`: the API answers JSON, which nothing may load or frame, so it
  allows nothing; the docs pages (/schema) load Swagger UI's files and the schema from this
  origin, with no inline script (docs.py serves the page's script as a file); the pages for
  HR users (pricing_api.pages) load their own files and post their forms to this origin.
- `Strict-Transport-Security` when the request came over TLS: `https` in the ASGI scope, or
  `X-Forwarded-Proto: https` set by a trusted proxy (PRICING_TRUSTED_PROXIES).
- `Cache-Control: no-store` on personal answers (accounts, tokens, keys, audit rows, pricing
  requests and their recommendations, every page but its static files) unless the route
  set its own.
"""

from __future__ import annotations

from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from pricing_core.ratelimit.client_ip import TrustedProxies, parse_address

__all__ = [
    "API_POLICY",
    "DOCS_POLICY",
    "HSTS",
    "PAGE_POLICY",
    "PERSONAL",
    "RouteAllow",
    "SecurityHeaders",
    "over_tls",
]

API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
# Swagger UI's CSS carries its icons as data: URIs; it sets styles through the DOM only.
DOCS_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)
DOCS_PREFIX = "/schema"
# The pages: no inline script or style, forms posted back here (their CSRF token guards them).
PAGE_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
NOT_PAGES = ("/api/", "/schema", "/metrics", "/health", "/ready")
PAGE_FILES = "/static/"
HSTS = "max-age=31536000; includeSubDomains"
PERSONAL = (
    "/api/v1/auth/",
    "/api/v1/audit-logs",
    "/api/v1/pricing-requests",
    "/api/v1/recommendations",
)
_FIXED = {"x-content-type-options": "nosniff", "referrer-policy": "no-referrer"}


def over_tls(scope: Scope, trusted: TrustedProxies) -> bool:
    """Whether the client reached us over TLS: directly, or as a trusted proxy says."""
    if scope.get("scheme") == "https":
        return True
    client = scope.get("client")
    if not trusted.trusts(parse_address(client[0]) if client else None):
        return False
    said = [
        bytes(value).decode("latin-1")
        for key, value in scope.get("headers", ())
        if key.lower() == b"x-forwarded-proto"
    ]
    # The nearest proxy speaks last: a value the client sent itself comes before it.
    hops = [hop.strip().lower() for value in said for hop in value.split(",") if hop.strip()]
    return bool(hops) and hops[-1] == "https"


class SecurityHeaders:
    """The outermost layer: adds the headers above to every HTTP answer's start."""

    def __init__(self, app: ASGIApp, trusted: TrustedProxies) -> None:
        self.app = app
        self.trusted = trusted

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        added = dict(_FIXED)
        docs = path == DOCS_PREFIX or path.startswith(DOCS_PREFIX + "/")
        page = not path.startswith(NOT_PAGES)
        added["content-security-policy"] = (
            DOCS_POLICY if docs else PAGE_POLICY if page else API_POLICY
        )
        if over_tls(scope, self.trusted):
            added["strict-transport-security"] = HSTS
        personal = (
            path.startswith(PERSONAL)
            or path == "/api/v1/auth"
            or (page and not path.startswith(PAGE_FILES))
        )

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableScopeHeaders.from_message(message)
                for name, value in added.items():
                    headers[name] = value
                if personal and "cache-control" not in headers:
                    headers["cache-control"] = "no-store"
            await send(message)

        await self.app(scope, receive, sending)


class RouteAllow:
    """`Allow` on an OPTIONS answer lists every method of the route.

    Litestar builds a path's OPTIONS answer with the methods its first handler group knew; a
    controller whose GET and POST share a path then answers `Allow: OPTIONS, POST`. The
    routes' own method sets are complete: this layer answers from them.
    """

    def __init__(self, app: ASGIApp, methods: dict[str, set[str]]) -> None:
        self.app = app
        self.methods = methods

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or scope.get("method") != "OPTIONS":
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                methods = self.methods.get(str(scope.get("path_template") or ""))
                headers = MutableScopeHeaders.from_message(message)
                if methods and "allow" in headers:
                    headers["allow"] = ", ".join(sorted(methods))
            await send(message)

        await self.app(scope, receive, sending)
