"""`/api/v1/pricing-requests`: saved pricing requests and the recommendation workflow.

draft ─submit→ submitted ─approve→ approved / ─reject→ rejected; DELETE (soft) in any status.
Every viewer reads every request. Only a draft's creator edits (PUT re-prices it) or submits
it; nobody edits a submitted or decided one. The four-eyes rule: its creator cannot approve it
(403), and decisions need a person, not an API key. POST /{id}/reprice prices a decided
request's inputs again into a NEW draft whose `comparison` shows old and new market rate and
range; the decided request, and its result, never change.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, delete, get, post, put
from litestar.params import FromPath, FromQuery, JSONBody

from pricing_api.http.documented import answer, request_problems
from pricing_api.http.quote_schema import MAX_QUOTE_BYTES, ExactJsonRequest, QuoteBody
from pricing_api.http.request_schema import (
    ApproveBody,
    RejectBody,
    inputs_of,
    request_query,
)
from pricing_api.http.request_views import RequestOut, RequestPage, detail_json, page_json
from pricing_api.http.schemas import Caller, Info, Limit, Offset, Services
from pricing_api.http.security import needs
from pricing_core.access.roles import Permission
from pricing_core.requests.model import RequestStatus

__all__ = ["PricingRequestsController"]

_GUARDED = (401, 403, 503)
_ONE = answer(200, RequestOut, "The request, with its history (oldest change first).")
_NEW = answer(201, RequestOut, "The new draft, with its history.")
_PAGE = answer(200, RequestPage, "A page of requests, newest first.")
Id = FromPath[str]


class PricingRequestsController(Controller):
    path = "/api/v1/pricing-requests"
    tags = ("pricing requests",)
    request_class = ExactJsonRequest
    request_max_body_size = MAX_QUOTE_BYTES

    @post(
        "/",
        opt=needs(Permission.CREATE_JOB_PRICING),
        status_code=201,
        sync_to_thread=True,
        summary="Price a job (the quote's body) and save it as a draft",
        responses={**_NEW, **request_problems(400, *_GUARDED, 413, 422)},
    )
    def create(
        self, data: JSONBody[QuoteBody], services: Services, principal: Caller, info: Info
    ) -> dict[str, Any]:
        return detail_json(services.requests.create(principal, inputs_of(data), info))

    @get(
        "/",
        opt=needs(Permission.VIEW_JOB_PRICING),
        sync_to_thread=True,
        summary="Saved requests in any status, newest first; filter by status, job, area, creator",
        responses={**_PAGE, **request_problems(400, *_GUARDED, 422)},
    )
    def list_requests(
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
        """`area` is an area code (the request's resolved area); `created_by` a user id."""
        query = request_query(status, job_code, area, created_by, limit, offset)
        items, total = services.requests.list_requests(principal, query)
        return page_json(items, total, limit, offset)

    @get(
        "/{request_id:str}",
        opt=needs(Permission.VIEW_JOB_PRICING),
        sync_to_thread=True,
        summary="One request with its inputs, result, decision and history",
        responses={**_ONE, **request_problems(*_GUARDED, 404)},
    )
    def get_request(self, request_id: Id, services: Services, principal: Caller) -> dict[str, Any]:
        return detail_json(services.requests.get(principal, request_id))

    @put(
        "/{request_id:str}",
        opt=needs(Permission.UPDATE_JOB_PRICING),
        sync_to_thread=True,
        summary="Replace a draft's inputs (the quote's body) and price it again",
        responses={**_ONE, **request_problems(400, *_GUARDED, 404, 409, 413, 422)},
    )
    def edit(
        self,
        request_id: Id,
        data: JSONBody[QuoteBody],
        services: Services,
        principal: Caller,
        info: Info,
    ) -> dict[str, Any]:
        """Only while `draft`, and only by its creator."""
        edit = services.requests.edit
        return detail_json(edit(principal, request_id, inputs_of(data), info))

    @delete(
        "/{request_id:str}",
        opt=needs(Permission.DELETE_JOB_PRICING),
        status_code=200,
        sync_to_thread=True,
        summary="Delete a request (soft: hidden from then on, kept with its history, audited)",
        responses={**_ONE, **request_problems(*_GUARDED, 404, 409)},
    )
    def delete_request(
        self, request_id: Id, services: Services, principal: Caller, info: Info
    ) -> dict[str, Any]:
        return detail_json(services.requests.delete(principal, request_id, info))

    @post(
        "/{request_id:str}/submit",
        opt=needs(Permission.UPDATE_JOB_PRICING),
        status_code=200,
        sync_to_thread=True,
        summary="Submit a draft as a salary recommendation (its creator only)",
        responses={**_ONE, **request_problems(*_GUARDED, 404, 409)},
    )
    def submit(
        self, request_id: Id, services: Services, principal: Caller, info: Info
    ) -> dict[str, Any]:
        return detail_json(services.requests.submit(principal, request_id, info))

    @post(
        "/{request_id:str}/approve",
        opt=needs(Permission.APPROVE_SALARY_RECOMMENDATIONS),
        status_code=200,
        sync_to_thread=True,
        summary="Approve a submitted request; never by its creator (four-eyes rule)",
        responses={**_ONE, **request_problems(400, *_GUARDED, 404, 409, 413, 422)},
    )
    def approve(
        self,
        request_id: Id,
        services: Services,
        principal: Caller,
        info: Info,
        data: JSONBody[ApproveBody | None] = None,
    ) -> dict[str, Any]:
        """The body is optional: a comment, or an adjusted range with a comment saying why."""
        body = data or ApproveBody()
        approve = services.requests.approve
        detail = approve(
            principal, request_id, info, comment=body.comment, adjusted_range=body.adjusted()
        )
        return detail_json(detail)

    @post(
        "/{request_id:str}/reject",
        opt=needs(Permission.APPROVE_SALARY_RECOMMENDATIONS),
        status_code=200,
        sync_to_thread=True,
        summary="Reject a submitted request, with a comment saying why",
        responses={**_ONE, **request_problems(400, *_GUARDED, 404, 409, 413, 422)},
    )
    def reject(
        self,
        request_id: Id,
        data: JSONBody[RejectBody],
        services: Services,
        principal: Caller,
        info: Info,
    ) -> dict[str, Any]:
        reject = services.requests.reject
        return detail_json(reject(principal, request_id, data.comment, info))

    @post(
        "/{request_id:str}/reprice",
        opt=needs(Permission.CREATE_JOB_PRICING),
        status_code=201,
        sync_to_thread=True,
        summary="Price a decided request again into a NEW draft that shows the difference",
        responses={**_NEW, **request_problems(*_GUARDED, 404, 409, 422)},
    )
    def reprice(
        self, request_id: Id, services: Services, principal: Caller, info: Info
    ) -> dict[str, Any]:
        """Its inputs under today's market data and policy (its own date, if it has one); the
        approved or rejected request keeps its result. `comparison` holds old and new."""
        return detail_json(services.requests.reprice(principal, request_id, info))
