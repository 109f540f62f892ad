"""Server-rendered pages for HR users, in the same app as the API (see README, "Pages").

`page_router()` holds every page and its own error answers (HTML, not problem+json: the API
under /api keeps its own); `page_templates()` is the app's template configuration.
"""

from __future__ import annotations

from litestar import Router
from litestar.static_files import create_static_files_router
from litestar.types import ControllerRouterHandler

from pricing_api.http.security import PUBLIC
from pricing_api.pages.pricing import PRICING_ROUTES
from pricing_api.pages.render import HERE, PAGE_ERRORS, page_templates
from pricing_api.pages.requests import REQUEST_ROUTES
from pricing_api.pages.signin import SIGNIN_ROUTES

__all__ = ["page_routes", "page_templates"]


def page_routes() -> list[ControllerRouterHandler]:
    pages = Router(
        path="/",
        route_handlers=[*SIGNIN_ROUTES, *PRICING_ROUTES, *REQUEST_ROUTES],
        exception_handlers=PAGE_ERRORS,
        include_in_schema=False,
    )
    assets = create_static_files_router(
        path="/static",
        directories=[HERE / "static"],
        opt=PUBLIC,
        include_in_schema=False,
        cache_control=None,
    )
    return [pages, assets]
