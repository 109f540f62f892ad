"""`POST /api/v1/market/refresh`: start a market data refresh (REFRESH_EXTERNAL_DATA).

The refresh is the `market_refresh` job: the answer is its id, and `GET /api/v1/jobs/{id}`
shows its progress and, once finished, its report per source.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Response, post
from litestar.params import QueryParameter

from pricing_api.http.documented import access_problems, answer
from pricing_api.http.schemas import Caller, Info, Services
from pricing_api.http.security import needs
from pricing_core.access.roles import Permission
from pricing_core.market.refresh import MARKET_REFRESH

__all__ = ["MarketRefreshController", "RefreshStarted"]

SourceName = Annotated[
    str | None,
    QueryParameter(
        pattern=r"^[a-z0-9._-]{1,64}$",
        description="Refresh this source's drop folder only (default: every folder).",
    ),
]


class RefreshStarted(msgspec.Struct):
    """The refresh job, queued: follow it at GET /api/v1/jobs/{job_id}."""

    job_id: str


class MarketRefreshController(Controller):
    path = "/api/v1/market/refresh"
    tags = ("market data",)

    @post(
        "/",
        opt=needs(Permission.REFRESH_EXTERNAL_DATA),
        status_code=202,
        sync_to_thread=True,
        summary="Refresh market data from the drop folders, in the background",
        description=(
            "Starts the `market_refresh` job: every file newer than its source's active "
            "version is imported; the job's report lists each source's status, files, "
            "version, rows, seconds and errors."
        ),
        responses={
            **answer(202, RefreshStarted, "The refresh job, queued."),
            **access_problems(400, 401, 403, 429, 503),
        },
    )
    def refresh(
        self, services: Services, principal: Caller, info: Info, source: SourceName = None
    ) -> Response[dict[str, Any]]:
        payload = {} if source is None else {"source": source}
        job = services.jobs.start(principal, MARKET_REFRESH, payload, info)
        return Response({"job_id": job.id}, status_code=202)
