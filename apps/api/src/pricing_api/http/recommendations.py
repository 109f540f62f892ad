"""`/api/v1/recommendations`: salary recommendations, i.e. submitted, approved and rejected
pricing requests (VIEW_SALARY_RECOMMENDATIONS); their workflow is under /pricing-requests."""

from __future__ import annotations

from typing import Any

from litestar import Controller, get
from litestar.params import FromQuery

from pricing_api.http.documented import answer, request_problems
from pricing_api.http.request_schema import request_query
from pricing_api.http.request_views import RequestPage, page_json
from pricing_api.http.schemas import Caller, Limit, Offset, Services
from pricing_api.http.security import needs
from pricing_core.access.roles import Permission
from pricing_core.requests.model import RequestStatus

__all__ = ["RecommendationsController"]

_PAGE = answer(200, RequestPage, "A page of recommendations, newest first.")


class RecommendationsController(Controller):
    path = "/api/v1/recommendations"
    tags = ("pricing requests",)

    @get(
        "/",
        opt=needs(Permission.VIEW_SALARY_RECOMMENDATIONS),
        sync_to_thread=True,
        summary="Salary recommendations: submitted, approved and rejected requests",
        responses={**_PAGE, **request_problems(400, 401, 403, 422, 503)},
    )
    def list_recommendations(
        self,
        services: Services,
        principal: Caller,
        status: FromQuery[RequestStatus | None] = None,
        job_code: FromQuery[str | None] = None,
        area: FromQuery[str | None] = None,
        created_by: FromQuery[str | None] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        """`status` narrows to one of submitted, approved, rejected (draft: 422)."""
        query = request_query(status, job_code, area, created_by, limit, offset)
        items, total = services.requests.list_recommendations(principal, query)
        return page_json(items, total, limit, offset)
