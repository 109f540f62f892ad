"""Server-rendered pages for HR users, in the same app as the API (see README, "Pages").

`page_routes(container)` holds every page, its guard and its own error answers (HTML, not
problem+json: the API under /api keeps its own); `page_templates()` is the app's template
configuration.
"""

from __future__ import annotations

from typing import Any

from litestar import Router
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.static_files import create_static_files_router
from litestar.types import ControllerRouterHandler

from pricing_adapters.bootstrap import Container
from pricing_api.http.ratelimit import RATE_LIMIT_EXEMPT, count_request
from pricing_api.http.security import PUBLIC
from pricing_api.pages.admin import ADMIN_ROUTES
from pricing_api.pages.market import MARKET_ROUTES
from pricing_api.pages.pricing import PRICING_ROUTES
from pricing_api.pages.render import HERE, PAGE_ERRORS, page_templates
from pricing_api.pages.requests import REQUEST_ROUTES
from pricing_api.pages.session import signed_in
from pricing_api.pages.signin import SIGNIN_ROUTES
from pricing_core.errors import NotAuthenticated

__all__ = ["page_routes", "page_templates"]


def _page_guard(container: Container) -> Any:
    """Authenticate the session cookie, then count the request against the signed-in user's
    quota (or the address's), as the app's guard does for bearer tokens: the pages opt out of
    that one, which cannot see cookies."""
    limiter = container.rate_limiter
    in_process = not container.settings.redis_url

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        try:
            connection.state.principal = await signed_in(connection, container)
        except NotAuthenticated:
            connection.state.principal = None
        if limiter.policy.enabled:
            path = str(connection.scope.get("path_template") or connection.url.path)
            await count_request(limiter, connection, path.rstrip("/") or "/", in_process=in_process)

    return guard


def page_routes(container: Container) -> list[ControllerRouterHandler]:
    pages = Router(
        path="/",
        route_handlers=[
            *SIGNIN_ROUTES,
            *PRICING_ROUTES,
            *REQUEST_ROUTES,
            *MARKET_ROUTES,
            *ADMIN_ROUTES,
        ],
        guards=[_page_guard(container)],
        exception_handlers=PAGE_ERRORS,
        include_in_schema=False,
    )
    assets = create_static_files_router(
        path="/static",
        directories=[HERE / "static"],
        opt={**PUBLIC, **RATE_LIMIT_EXEMPT},  # the pages' own files, as the docs' assets
        include_in_schema=False,
    )
    for route in assets.routes:  # the router's flag does not reach its handlers
        for handler in getattr(route, "route_handlers", ()):
            handler.include_in_schema = False
    return [pages, assets]
