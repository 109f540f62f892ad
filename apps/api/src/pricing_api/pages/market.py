"""Market data: sources and their versions with `Activate`, and a survey upload whose
validation report lists each bad row with its line, column and reason.

Reading needs VIEW_EXTERNAL_DATA, changing IMPORT_MARKET_DATA, as in the API; both go
through the same functions as the API's market routes (activation and import, audited).
"""

from __future__ import annotations

from typing import Any

import anyio.to_thread
import msgspec
from litestar import Request, get, post
from litestar.datastructures import UploadFile
from litestar.exceptions import HTTPException
from litestar.response import Redirect, Template

from pricing_api.http.context import request_context
from pricing_api.http.documented import MAX_UPLOAD_BYTES
from pricing_api.http.market_actions import activate_version, import_survey_upload
from pricing_api.http.market_schema import SurveyUpload
from pricing_api.http.schemas import Services
from pricing_api.market_views import sources_out, version_out
from pricing_api.pages.forms import field_errors, read_form
from pricing_api.pages.render import redirect, respond
from pricing_api.pages.session import signed_in
from pricing_api.pages.signin import PAGE
from pricing_core.access.audit import require
from pricing_core.access.roles import Permission
from pricing_core.errors import PricingError
from pricing_core.market.imports import ImportReport

__all__ = ["MARKET_ROUTES"]

_UPLOAD_FIELDS = {"file", "source", "pay_period", "months_per_year", "sheet", "label"}


def _sources(services: Services) -> list[dict[str, Any]]:
    # The API's shapes, as the plain values the templates read.
    sources: list[dict[str, Any]] = msgspec.to_builtins(sources_out(services))
    for source in sources:
        versions = services.market_admin.versions(source["source"])
        source["versions"] = msgspec.to_builtins([version_out(v, on) for v, on in versions])
    return sources


async def _market(
    request: Request[Any, Any, Any],
    services: Services,
    *,
    report: ImportReport | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    principal = await signed_in(request, services)
    require(principal, Permission.VIEW_EXTERNAL_DATA)
    context = {
        "sources": await anyio.to_thread.run_sync(_sources, services),
        "may_change": principal.can(Permission.IMPORT_MARKET_DATA),
        "report": report,
        "errors": errors or {},
        "values": values or {},
    }
    return respond(request, "market.html", context, status_code=status_code)


@get("/market", opt=PAGE, include_in_schema=False)
async def market_page(request: Request[Any, Any, Any], services: Services) -> Template:
    return await _market(request, services)


@post("/market/activate", opt=PAGE, include_in_schema=False)
async def activate(request: Request[Any, Any, Any], services: Services) -> Redirect:
    principal = await signed_in(request, services)
    form, _ = await read_form(request)
    require(principal, Permission.IMPORT_MARKET_DATA)
    await anyio.to_thread.run_sync(
        activate_version,
        services,
        principal,
        form.text("source"),
        form.text("version"),
        request_context(request),
    )
    return redirect(request, "/market")


@post(
    "/market/upload",
    opt=PAGE,
    include_in_schema=False,
    request_max_body_size=MAX_UPLOAD_BYTES + 64 * 1024,
)
async def upload(request: Request[Any, Any, Any], services: Services) -> Template:
    principal = await signed_in(request, services)
    form, raw = await read_form(request)
    require(principal, Permission.IMPORT_MARKET_DATA)
    values = {k: form.text(k) for k in ("source", "pay_period", "months_per_year", "sheet")}
    file = raw.get("file")
    errors: dict[str, str] = {}
    if not isinstance(file, UploadFile) or not file.filename:
        errors["file"] = "choose a CSV or XLSX survey file"
    if not values["source"]:
        errors["source"] = "name the source, e.g. mercer-2025"
    months = values["months_per_year"] or "12"
    if not months.isdigit() or not 12 <= int(months) <= 16:
        errors["months_per_year"] = "must be a whole number from 12 to 16"
    if errors or not isinstance(file, UploadFile):
        return await _market(request, services, errors=errors, values=values, status_code=400)
    survey = SurveyUpload(
        file=file,
        source=values["source"],
        pay_period="monthly" if values["pay_period"] == "monthly" else "annual",
        months_per_year=int(months),
        sheet=values["sheet"] or None,
    )
    try:
        report = await anyio.to_thread.run_sync(
            import_survey_upload, services, principal, survey, request_context(request)
        )
    except HTTPException as error:  # 413 and 415: the file itself
        errors = {"file": str(error.detail)}
        return await _market(request, services, errors=errors, values=values, status_code=400)
    except PricingError as error:
        errors = field_errors(error, _UPLOAD_FIELDS)
        return await _market(request, services, errors=errors, values=values, status_code=400)
    status = 422 if str(report.outcome) == "rejected" else 200
    return await _market(request, services, report=report, values=values, status_code=status)


MARKET_ROUTES = [market_page, activate, upload]
