"""The OpenAPI schema and its browsable page, with Swagger UI's files served by the app."""

from __future__ import annotations

from pathlib import Path

import swagger_ui  # type: ignore[import-untyped]  # ships static files, no type hints
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from litestar.static_files import create_static_files_router
from litestar.types import ControllerRouterHandler

from pricing_api.http.metrics_access import METRICS_SCHEME
from pricing_api.http.security import PUBLIC

__all__ = ["ASSETS_PATH", "docs_assets", "openapi_config"]

ASSETS_PATH = "/schema/assets"
_STATIC = Path(swagger_ui.__file__).parent / "static"


def openapi_config(version: str) -> OpenAPIConfig:
    swagger = SwaggerRenderPlugin(
        path="/",
        js_url=f"{ASSETS_PATH}/swagger-ui-bundle.js",
        css_url=f"{ASSETS_PATH}/swagger-ui.css",
        standalone_preset_js_url=f"{ASSETS_PATH}/swagger-ui-standalone-preset.js",
        favicon="",  # the default points at a CDN; these hosts may have no internet
    )
    return OpenAPIConfig(
        title="Job pricing engine",
        version=version,
        description=(
            "Price jobs from market salary data. Errors are RFC 9457 problem details "
            "(application/problem+json). Authenticate with `Authorization: Bearer <access "
            "token>` or `X-API-Key: <key>`."
        ),
        path="/schema",
        render_plugins=[swagger],
        components=Components(
            security_schemes={
                "bearer": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT"),
                "apiKey": SecurityScheme(
                    type="apiKey", name="X-API-Key", security_scheme_in="header"
                ),
                METRICS_SCHEME: SecurityScheme(
                    type="http",
                    scheme="bearer",
                    description="PRICING_METRICS_TOKEN, for GET /metrics only.",
                ),
            }
        ),
        security=[{"bearer": []}, {"apiKey": []}],
    )


def docs_assets() -> ControllerRouterHandler:
    return create_static_files_router(
        path=ASSETS_PATH, directories=[_STATIC], opt=PUBLIC, include_in_schema=False
    )
