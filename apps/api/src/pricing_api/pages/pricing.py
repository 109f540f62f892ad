"""Price a job: the form, its result with the range chart, and suggestions while typing.

Pricing changes nothing, so the form is a GET (a priced page can be bookmarked and needs no
CSRF token); saving it as a request is a POST (requests.py). Picking another candidate of the
title match prices that occupation instead, as an explicit match of the title source.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import anyio.to_thread
from litestar import Request, get

from pricing_api.http.schemas import Services
from pricing_api.pages.forms import field_errors
from pricing_api.pages.render import respond
from pricing_api.pages.result_view import view_result
from pricing_api.pages.session import signed_in
from pricing_api.pages.signin import PAGE
from pricing_api.quoting import price_quote, values_checked
from pricing_core.access.audit import require
from pricing_core.access.model import Principal
from pricing_core.access.roles import Permission
from pricing_core.errors import InvalidRequest, PricingError
from pricing_core.levels import Level
from pricing_core.market.model import ALL_INDUSTRIES
from pricing_core.places import search_areas
from pricing_core.pricing.by_title import TitlePricing, quality_for, title_match_json
from pricing_core.pricing.model import Match, PricingOptions
from pricing_core.requests.inputs import PricingInputs

__all__ = ["FIELDS", "PRICING_ROUTES", "inputs_of"]

FIELDS = ("title", "job_code", "area", "level", "percentile", "industry", "date")
_SUGGESTIONS = 8


def _percentile(text: str | None) -> int | None:
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise InvalidRequest("percentile", "must be a whole number from 10 to 90", text) from None


def _date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidRequest("date", "must be a date like 2026-07-01", text) from None


def inputs_of(services: Services, values: dict[str, str]) -> PricingInputs:
    """The pricing inputs of the form; a picked candidate is priced as an explicit match."""
    title = values.get("title") or None
    job_code = values.get("job_code") or None
    matches: list[Match] = []
    if job_code and title:
        found = services.title_matcher().match(title)
        chosen = next((c for c in found.candidates if c.job_code == job_code), None)
        if chosen is None:
            raise InvalidRequest("title", "the chosen occupation is not a candidate of this title")
        source = services.settings.title_source
        matches = [Match(source=source, job_code=job_code, quality=quality_for(chosen.score))]
        title = None
    with values_checked():
        return PricingInputs(
            title=title,
            matches=matches,
            area=values.get("area", ""),
            pricing_date=_date(values.get("date")),
            options=PricingOptions(
                industry=values.get("industry") or ALL_INDUSTRIES,
                percentile=_percentile(values.get("percentile")),
                level=values.get("level") or None,
            ),
        )


def _price(services: Services, principal: Principal, values: dict[str, str]) -> dict[str, Any]:
    quoted = price_quote(services, principal, inputs_of(services, values))
    payload = quoted.as_json()
    if values.get("job_code") and values.get("title"):
        # Priced as a match: show the title's candidates again, with the picked one chosen.
        found = services.title_matcher().match(values["title"])
        chosen = next(c for c in found.candidates if c.job_code == values["job_code"])
        picked = TitlePricing(match=found, chosen=chosen, result=quoted.result)
        payload["title_match"] = title_match_json(picked)
    return payload


@get("/price", opt=PAGE, include_in_schema=False)
async def price_page(request: Request[Any, Any, Any], services: Services) -> Any:
    principal = await signed_in(request, services)
    values = {name: request.query_params.get(name, "").strip() for name in FIELDS}
    errors: dict[str, str] = {}
    result = None
    if request.query_params.get("area") is not None or values["title"]:
        try:
            result = await anyio.to_thread.run_sync(_price, services, principal, values)
        except PricingError as error:
            errors = field_errors(error, set(FIELDS))
    context = {
        "values": values,
        "errors": errors,
        "view": view_result(result) if result else None,
        "levels": [str(level) for level in Level],
        "may_save": principal.can(Permission.CREATE_JOB_PRICING),
        "fields": FIELDS,
    }
    return respond(request, "price.html", context, status_code=400 if errors else 200)


@get("/suggest/titles", opt=PAGE, include_in_schema=False)
async def suggest_titles(
    request: Request[Any, Any, Any], services: Services, q: str = ""
) -> list[str]:
    """Occupation titles the matcher offers for what has been typed so far."""
    principal = await signed_in(request, services)
    require(principal, Permission.VIEW_JOB_PRICING)
    if len(q.strip()) < 2:
        return []
    found = await anyio.to_thread.run_sync(
        lambda: services.title_matcher().match(q[:200], limit=_SUGGESTIONS)
    )
    return [c.title for c in found.candidates]


@get("/suggest/areas", opt=PAGE, include_in_schema=False)
async def suggest_areas(
    request: Request[Any, Any, Any], services: Services, q: str = ""
) -> list[str]:
    principal = await signed_in(request, services)
    require(principal, Permission.VIEW_JOB_PRICING)
    if len(q.strip()) < 2:
        return []
    found = await anyio.to_thread.run_sync(
        lambda: search_areas(services.market, q[:200], limit=_SUGGESTIONS)
    )
    return [area.name for area in found]


PRICING_ROUTES = [price_page, suggest_titles, suggest_areas]
