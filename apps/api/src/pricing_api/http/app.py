"""The Litestar application: `create_app(container)`, or `pricing_api.http.app:asgi` for servers."""

from __future__ import annotations

from importlib.metadata import version
from typing import Any

from litestar import Litestar
from litestar.di import Provide
from litestar.routes import HTTPRoute
from litestar.types import ControllerRouterHandler

from pricing_adapters.bootstrap import Container
from pricing_api.http.body import BodyRequest
from pricing_api.http.context import principal_of, request_context
from pricing_api.http.docs import ClosedBodies, docs_assets, openapi_config
from pricing_api.http.headers import RouteAllow, SecurityHeaders
from pricing_api.http.health import health
from pricing_api.http.observability import instrument
from pricing_api.http.problems import EXCEPTION_HANDLERS
from pricing_api.http.ratelimit import (
    RATE_LIMIT_EXEMPT,
    RATE_LIMIT_HANDLERS,
    add_rate_limit_headers,
    document_rate_limits,
    rate_limited,
)
from pricing_api.http.routes import ROUTES
from pricing_api.http.security import (
    PUBLIC,
    document_nul_refusals,
    no_nul_guard,
    permission_guard,
)
from pricing_api.pages import page_routes, page_templates
from pricing_core.access.audit import RequestInfo
from pricing_core.ratelimit.client_ip import TrustedProxies

__all__ = ["create_app", "mark_framework_routes_public"]


def mark_framework_routes_public(app: Litestar) -> None:
    """The docs pages and CORS preflight answers come from Litestar itself: declare them public,
    and preflights free of the rate limit.

    Everything else must declare its own marker, which the deny-by-default test checks.
    """
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            # sync_to_thread wraps a handler in a litestar object: look at the function itself.
            function = getattr(handler.fn, "func", handler.fn)
            owner = getattr(function, "__module__", "") or ""
            if owner.startswith("litestar.") and not handler.opt.get("permission"):
                handler.opt.update(PUBLIC)
                if handler.http_methods == {"OPTIONS"}:
                    # A browser's CORS preflight: it asks before a request, which counts.
                    handler.opt.update(RATE_LIMIT_EXEMPT)
            if handler.opt.get("public") and not getattr(handler, "security", None):
                # The schema must not tell clients a public route needs credentials.
                handler.security = [{}]


def create_app(
    container: Container, *, extra: list[ControllerRouterHandler] | None = None
) -> Litestar:
    """The API over `container`'s services; `extra` adds handlers (tests, plugins).

    Builds and starts nothing else: a serving process calls `start_api_process` first.
    """
    access = container.access
    limiter = container.rate_limiter
    proxies = TrustedProxies.parse(container.settings.trusted_proxies)

    def authenticate(bearer: str | None, api_key: str | None, info: dict[str, str]) -> Any:
        return access.authenticate(bearer or api_key or "", _info(info))

    def record_denial(principal: Any, permission: Any, route: str, info: dict[str, str]) -> None:
        access.record_denied(principal, permission, route, _info(info))

    app = Litestar(
        route_handlers=[health, docs_assets(), *ROUTES, *page_routes(container), *(extra or [])],
        template_config=page_templates(),
        # The rate limit wraps the permission guard: it needs the principal (ratelimit.py).
        guards=[
            no_nul_guard,
            rate_limited(
                limiter,
                proxies,
                permission_guard(authenticate, record_denial),
                in_process=not container.settings.redis_url,
            ),
        ],
        dependencies={
            "services": Provide(lambda: container, sync_to_thread=False),
            "principal": Provide(principal_of, sync_to_thread=False),
            "info": Provide(request_context, sync_to_thread=False),
        },
        exception_handlers={**EXCEPTION_HANDLERS, **RATE_LIMIT_HANDLERS},
        before_send=[add_rate_limit_headers],
        request_class=BodyRequest,
        openapi_config=openapi_config(version("pricing-api")),
        plugins=[ClosedBodies()],
        logging_config=None,  # structlog renders every record (start_process configures it)
        debug=False,
    )
    instrument(app, container)  # request ids, logs, metrics and /metrics (before the marking)
    routes: dict[str, set[str]] = {}
    for route in app.routes:
        if isinstance(route, HTTPRoute):
            routes.setdefault(route.path_format, set()).update(route.methods)
    app.asgi_handler = SecurityHeaders(RouteAllow(app.asgi_handler, routes), proxies)
    mark_framework_routes_public(app)
    document_rate_limits(app, limiter.policy)
    document_nul_refusals(app)
    return app


def _info(info: dict[str, str]) -> RequestInfo:
    return RequestInfo(
        ip=info.get("ip", ""),
        user_agent=info.get("user_agent", ""),
        request_id=info.get("request_id", ""),
    )
