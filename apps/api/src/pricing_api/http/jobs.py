"""`/api/v1/jobs`: background jobs, their status, progress and report.

One job is shown to whoever started it and to holders of VIEW_SYSTEM_LOGS; anyone else gets
404, the same answer as for an id that does not exist. The list is for VIEW_SYSTEM_LOGS.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, get
from litestar.params import FromPath, FromQuery, Parameter

from pricing_api.http.documented import access_problems, answer
from pricing_api.http.schemas import Caller, Limit, Offset, Services
from pricing_api.http.security import AUTHENTICATED, needs
from pricing_api.job_views import JobOut, JobPageOut, job_json
from pricing_core.access.roles import Permission
from pricing_core.errors import InvalidRequest
from pricing_core.jobs.model import JobQuery, JobStatus

__all__ = ["JobsController"]

_GUARDED = (401, 403, 429, 503)
JobId = Annotated[str, Parameter(max_length=200, pattern=r"^[^\x00]+$", description="A job id.")]
Kind = Annotated[str, Parameter(max_length=100, pattern=r"^[^\x00]+$", description="A job kind.")]


class JobsController(Controller):
    path = "/api/v1/jobs"
    tags = ("jobs",)

    @get(
        "/",
        opt=needs(Permission.VIEW_SYSTEM_LOGS),
        sync_to_thread=True,
        summary="Background jobs, newest first",
        responses={
            **answer(200, JobPageOut, "A page of jobs and how many match in all."),
            **access_problems(400, *_GUARDED),
        },
    )
    def list_jobs(
        self,
        services: Services,
        principal: Caller,
        status: FromQuery[JobStatus | None] = None,
        kind: FromQuery[Kind | None] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        if kind is not None and not 1 <= len(kind) <= 100:  # as the schema says
            raise InvalidRequest("kind", "must be 1 to 100 characters")
        query = JobQuery(status=status, kind=kind, limit=limit, offset=offset)
        found, total = services.jobs.list(principal, query)
        return {
            "items": [job_json(j) for j in found],
            "total": total,
            "limit": limit,
            "offset": offset,
        }

    @get(
        "/{job_id:str}",
        opt=AUTHENTICATED,
        sync_to_thread=True,
        summary="One background job: status, progress, and its report once finished",
        description="For the job's starter and holders of VIEW_SYSTEM_LOGS; 404 for anyone else.",
        responses={
            **answer(200, JobOut, "The job."),
            **access_problems(400, 401, 404, 429, 503),
        },
    )
    def get_job(
        self, job_id: FromPath[JobId], services: Services, principal: Caller
    ) -> dict[str, Any]:
        return job_json(services.jobs.get(principal, job_id))
