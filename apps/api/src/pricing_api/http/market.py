"""`/api/v1/market`: sources and versions, areas, occupations, title matches and raw cuts.

Reading needs VIEW_EXTERNAL_DATA; switching a source's active version IMPORT_MARKET_DATA
(audited as `market_activate`). Lists answer a page: `items`, `total`, `limit`, `offset`.
Answers are the command line's `--json` shapes (pricing_api.market_views).
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, get, post
from litestar.openapi.spec import Example
from litestar.params import Parameter, QueryParameter

from pricing_api.http.documented import answer, problem_answers
from pricing_api.http.market_actions import activate_version, versions_out
from pricing_api.http.market_cuts import cut_out
from pricing_api.http.market_schema import (
    AreaPage,
    CutOut,
    MatchLimit,
    MatchOut,
    OccupationPage,
    SourceOut,
    SourcePage,
    VersionPage,
    page,
)
from pricing_api.http.schemas import Caller, Info, Limit, Offset, Services
from pricing_api.http.security import needs
from pricing_api.market_views import area_out, match_out, occupation_out, sources_out
from pricing_core.access.roles import Permission
from pricing_core.market.model import ALL_INDUSTRIES
from pricing_core.places import search_areas

__all__ = ["MarketController"]

VIEW = needs(Permission.VIEW_EXTERNAL_DATA)
_READ = (400, 401, 403, 503)
_ALL = 100_000  # every hit: search first, then page

Search = Annotated[
    str | None, QueryParameter(max_length=200, description="Words of the name, or a code.")
]


def _text(example: str, description: str) -> Any:
    """A required text parameter's bounds, with an example Schemathesis sends first."""
    return QueryParameter(
        min_length=1, max_length=200, description=description, examples=[Example(value=example)]
    )


SourceName = Annotated[str, _text("oews-2025", "A loaded source.")]
JobCode = Annotated[
    str, _text("15-1252", "The source's job code (SOC `15-1252` or `151252` for OEWS).")
]
AreaText = Annotated[str, _text("0041940", "An area code, or a name that means one area.")]
Title = Annotated[str, _text("Senior Software Engineer", "A job title in anyone's words.")]
PathSource = Annotated[str, Parameter(examples=[Example(value="oews-2025")])]
PathVersion = Annotated[str, Parameter(examples=[Example(value="2025A01")])]
Industry = Annotated[
    str, QueryParameter(min_length=1, max_length=40, description="000000: all industries.")
]
Version = Annotated[
    str | None, QueryParameter(max_length=200, description="Default: the active version.")
]


class MarketController(Controller):
    path = "/api/v1/market"
    tags = ("market data",)

    @get(
        "/sources",
        opt=VIEW,
        sync_to_thread=True,
        summary="Market data sources with their active version, rows and import time",
        responses={
            **answer(200, SourcePage, "Sources by name."),
            **problem_answers(*_READ),
        },
    )
    def sources(self, services: Services, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        return page(sources_out(services), limit, offset)

    @get(
        "/sources/{source:str}/versions",
        opt=VIEW,
        sync_to_thread=True,
        summary="Every version of a source, newest first",
        responses={
            **answer(200, VersionPage, "Newest first."),
            **problem_answers(*_READ, 404),
        },
    )
    def versions(
        self,
        source: PathSource,
        services: Services,
        principal: Caller,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        return page(versions_out(services, principal, source), limit, offset)

    @post(
        "/sources/{source:str}/versions/{version:str}/activate",
        opt=needs(Permission.IMPORT_MARKET_DATA),
        status_code=200,
        sync_to_thread=True,
        summary="Make a version the active one (roll back or forward); audited",
        responses={
            **answer(200, SourceOut, "The source, now reading the version."),
            **problem_answers(*_READ, 404),
        },
    )
    def activate(
        self,
        source: PathSource,
        version: PathVersion,
        services: Services,
        principal: Caller,
        info: Info,
    ) -> SourceOut:
        return activate_version(services, principal, source, version, info)

    @get(
        "/areas",
        opt=VIEW,
        sync_to_thread=True,
        summary="Areas by code or the words of their name (all of them without `q`)",
        responses={
            **answer(200, AreaPage, "Exact code or name first, then by name."),
            **problem_answers(*_READ),
        },
    )
    def areas(
        self, services: Services, q: Search = None, limit: Limit = 50, offset: Offset = 0
    ) -> dict[str, Any]:
        market = services.market
        found = (
            search_areas(market, q, limit=_ALL)
            if q is not None
            else sorted(market.areas(), key=lambda a: a.code)
        )
        return page([area_out(a) for a in found], limit, offset)

    @get(
        "/occupations",
        opt=VIEW,
        sync_to_thread=True,
        summary="Occupations of the title source by code prefix or name (all without `q`)",
        responses={
            **answer(200, OccupationPage, "Best match first (by code without `q`)."),
            **problem_answers(*_READ),
        },
    )
    def occupations(
        self, services: Services, q: Search = None, limit: Limit = 50, offset: Offset = 0
    ) -> dict[str, Any]:
        matcher = services.title_matcher()
        found = (
            matcher.search_occupations(q, limit=_ALL)
            if q is not None
            else sorted(matcher.occupations.values(), key=lambda o: o.code)
        )
        listed = [occupation_out(o) for o in found]
        return page(listed, limit, offset)

    @get(
        "/match",
        opt=VIEW,
        sync_to_thread=True,
        summary="A job title's ranked occupation candidates, with scores and reasons",
        responses={
            **answer(200, MatchOut, "As `pricing match --json`."),
            **problem_answers(*_READ, 422),
        },
    )
    def match(self, services: Services, title: Title, limit: MatchLimit = 5) -> MatchOut:
        return match_out(services.title_matcher().match(title, limit=limit))

    @get(
        "/cuts",
        opt=VIEW,
        sync_to_thread=True,
        summary="The raw figures behind a price: one stored cut with its percentile states",
        responses={
            **answer(200, CutOut, "The cut as imported, before any factor."),
            **problem_answers(*_READ, 404, 422),
        },
    )
    def cuts(
        self,
        services: Services,
        source: SourceName,
        job_code: JobCode,
        area: AreaText,
        industry: Industry = ALL_INDUSTRIES,
        version: Version = None,
    ) -> CutOut:
        """`area` is a code or a name (an ambiguous name: 422 with its candidates)."""
        return cut_out(services, source, job_code, area, industry, version)
