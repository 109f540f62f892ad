"""The OpenAPI schema and its browsable page, with Swagger UI's files served by the app.

The page holds no inline script or style (its Content-Security-Policy allows neither,
headers.py): Swagger UI starts from docs_files/docs.js, which reads the schema's address from
the page.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import msgspec
import swagger_ui  # type: ignore[import-untyped]  # ships static files, no type hints
from litestar import Request
from litestar._openapi.schema_generation.plugins.struct import StructSchemaPlugin
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import OpenAPIRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from litestar.static_files import create_static_files_router
from litestar.types import ControllerRouterHandler

from pricing_api.http.metrics_access import METRICS_SCHEME
from pricing_api.http.security import PUBLIC

__all__ = ["ASSETS_PATH", "ClosedBodies", "docs_assets", "openapi_config"]

ASSETS_PATH = "/schema/assets"
_STATIC = Path(swagger_ui.__file__).parent / "static"
_OWN = Path(__file__).parent / "docs_files"


class SwaggerPage(OpenAPIRenderPlugin):
    """Swagger UI at /schema, from this app's own files only."""

    def __init__(self) -> None:
        super().__init__(path="/", favicon="", style="")

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        title = html.escape(str(openapi_schema["info"]["title"]))
        spec = html.escape(self.get_openapi_json_route(request))
        return (
            "<!DOCTYPE html><html><head>"
            f"<title>{title}</title>"
            '<meta charset="utf-8"/>'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<link href="{ASSETS_PATH}/swagger-ui.css" rel="stylesheet">'
            f'<link href="{ASSETS_PATH}/docs.css" rel="stylesheet">'
            f'<script src="{ASSETS_PATH}/swagger-ui-bundle.js"></script>'
            f'<script src="{ASSETS_PATH}/swagger-ui-standalone-preset.js"></script>'
            "</head><body>"
            f'<div id="swagger-container" data-spec="{spec}"></div>'
            f'<script src="{ASSETS_PATH}/docs.js"></script>'
            "</body></html>"
        ).encode()


class ClosedBodies(StructSchemaPlugin):
    """Bodies refuse unknown fields (schemas.Body): their schemas say so, or clients and
    Schemathesis would read them as open objects that the server then refuses."""

    def to_openapi_schema(self, field_definition: Any, schema_creator: Any) -> Any:
        schema = super().to_openapi_schema(field_definition, schema_creator)
        info = msgspec.inspect.type_info(field_definition.type_)
        if isinstance(info, msgspec.inspect.StructType) and info.forbid_unknown_fields:
            schema.additional_properties = False
        return schema


def openapi_config(version: str) -> OpenAPIConfig:
    swagger = SwaggerPage()
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
        path=ASSETS_PATH, directories=[_OWN, _STATIC], opt=PUBLIC, include_in_schema=False
    )
