"""`/api/v1/pricing/batches`: a CSV or XLSX file of jobs priced in the background.

POST keeps the upload under `$PRICING_DATA_DIR/batches/` and starts a `price_batch` job
(VIEW_JOB_PRICING), answering 202 with its id; GET /api/v1/jobs/{id} follows it. Once it
succeeded (or is partial: some rows have an `error`), GET …/{id}/result streams the priced
table as CSV, XLSX or JSON, for the job's starter and holders of VIEW_SYSTEM_LOGS. Each row
is priced as POST /api/v1/pricing/quote prices the same inputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.exceptions import HTTPException, ValidationException
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIResponse, OpenAPIType, Operation, Schema
from litestar.params import Body, FromPath, FromQuery
from litestar.response import File

from pricing_adapters.batch_wiring import batch_folders, start_batch
from pricing_api.http.documented import MAX_UPLOAD_BYTES, answer, problem_entries
from pricing_api.http.market_actions import GENERIC_MEDIA_TYPE, SURVEY_MEDIA_TYPES
from pricing_api.http.schemas import Caller, Info, Services
from pricing_api.http.security import needs
from pricing_core.access.roles import Permission
from pricing_core.batch.job import BatchResult

__all__ = ["BatchesController"]

_FORM_SLACK = 64 * 1024
_CHUNK = 1024 * 1024
RESULT_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
BATCH_PROBLEMS = {
    404: (
        "No such batch job, not yours (without VIEW_SYSTEM_LOGS), or it failed and has no "
        "result (the job's `error` says why)."
    ),
    409: "The job is still queued or running: follow GET /api/v1/jobs/{job_id}.",
    413: "A file larger than 50 MiB.",
    415: "Not a multipart form, or a file that is not .csv or .xlsx.",
    422: "A form field breaks a rule; `errors` names it.",
}


@dataclass
class BatchUpload:
    """A CSV or XLSX file of jobs: columns `title` or `match`, `area`, and optionally
    `industry`, `date`, `level`, `percentile`, `positioning`, `spread`."""

    file: UploadFile


class BatchStartedOut(msgspec.Struct):
    job_id: str


JobId = Annotated[str, msgspec.Meta(max_length=200, pattern=r"^[^\x00]+$")]


async def _multipart_only(request: Request[Any, Any, Any]) -> None:
    """415 for a body that is not a multipart form; 400 naming a field the form does not know."""
    if request.content_type[0] != RequestEncodingType.MULTI_PART:
        raise HTTPException(
            status_code=415,
            detail=f"send multipart/form-data with a `file` part, not {request.content_type[0]}",
        )
    unknown = sorted(set((await request.form()).keys()) - {"file"})
    if unknown:
        raise ValidationException(
            detail="unknown form field",
            extra=[{"key": "data", "message": f"unknown field `{name}`"} for name in unknown],
        )


def _suffix(upload: UploadFile) -> str:
    """`.csv` or `.xlsx`, by the file's name (or, without one, its label); 415 otherwise."""
    declared = upload.content_type.split(";")[0].strip().lower()
    suffix = Path(upload.filename.replace("\\", "/")).suffix.lower()
    if not upload.filename:
        suffix = next((s for s, types in SURVEY_MEDIA_TYPES.items() if declared in types), "")
    allowed = SURVEY_MEDIA_TYPES.get(suffix) if suffix in {".csv", ".xlsx"} else None
    if allowed is None or (declared and declared != GENERIC_MEDIA_TYPE and declared not in allowed):
        raise HTTPException(
            status_code=415,
            detail=f"a batch is a .csv or .xlsx file; got {suffix or 'no suffix'} "
            f"labelled {declared or 'nothing'}",
        )
    return suffix


@dataclass
class _ResultOperation(Operation):
    """The result's 200 in each format it is served in."""

    def __post_init__(self) -> None:
        ok = (self.responses or {}).get("200")
        if isinstance(ok, OpenAPIResponse):
            binary = Schema(type=OpenAPIType.STRING, content_media_type="application/octet-stream")
            rows = Schema(
                type=OpenAPIType.ARRAY,
                items=Schema(type=OpenAPIType.OBJECT, additional_properties=True),
            )
            ok.content = {
                RESULT_TYPES["csv"]: OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING)),
                RESULT_TYPES["xlsx"]: OpenAPIMediaType(schema=binary),
                RESULT_TYPES["json"]: OpenAPIMediaType(schema=rows),
            }


class BatchesController(Controller):
    path = "/api/v1/pricing/batches"
    tags = ("pricing",)

    @post(
        "/",
        opt=needs(Permission.VIEW_JOB_PRICING),
        status_code=202,
        sync_to_thread=True,
        before_request=_multipart_only,
        request_max_body_size=MAX_UPLOAD_BYTES + _FORM_SLACK,
        summary="Price every row of a CSV or XLSX file of jobs, in the background",
        description=(
            "Answers the `price_batch` job's id; GET /api/v1/jobs/{job_id} shows its progress "
            "and its report (`rows`, `failed`, `seconds`). A row that cannot be priced gets "
            "its `error` column (naming the column at fault) and the others go on: the job "
            "ends `partial`. A file without a `title` or `match` column, or an `area` column, "
            "fails the job."
        ),
        responses={
            **answer(202, BatchStartedOut, "The job was started."),
            **problem_entries(BATCH_PROBLEMS, 400, 401, 403, 413, 415, 422, 429, 503),
        },
    )
    def upload(
        self,
        data: Annotated[
            BatchUpload,
            Body(
                media_type=RequestEncodingType.MULTI_PART,
                schema_extra={"additionalProperties": False},
            ),
        ],
        services: Services,
        principal: Caller,
        info: Info,
    ) -> Response[dict[str, Any]]:
        suffix = _suffix(data.file)
        content = data.file.file
        if content.seek(0, 2) > MAX_UPLOAD_BYTES:
            raise HTTPException(status_code=413, detail="a batch file is at most 50 MiB")
        content.seek(0)
        job = start_batch(
            services.jobs, services.settings.data_dir, principal, suffix, content, info
        )
        return Response({"job_id": job.id}, status_code=202)

    @get(
        "/{job_id:str}/result",
        opt=needs(Permission.VIEW_JOB_PRICING),
        sync_to_thread=True,
        operation_class=_ResultOperation,
        summary="The priced table of a finished batch job: CSV, XLSX or JSON",
        description=(
            "For the job's starter and holders of VIEW_SYSTEM_LOGS. Every input column, then "
            "`job_code`, `occupation`, `area_code`, `currency`, `market_rate`, `p10`…`p90`, "
            "`minimum`, `midpoint`, `maximum`, `confidence`, `confidence_label`, `warnings` "
            "and `error`. Money is exact decimal text in CSV and JSON."
        ),
        response_description="The priced rows, in the format asked for.",
        responses=problem_entries(BATCH_PROBLEMS, 400, 401, 403, 404, 409, 429, 503),
    )
    def result(
        self,
        job_id: FromPath[JobId],
        services: Services,
        principal: Caller,
        format: FromQuery[Literal["csv", "xlsx", "json"]] = "csv",
    ) -> File:
        batch = BatchResult(get_job=services.jobs.get)(principal, job_id)
        path = batch_folders(services.settings.data_dir).result(batch, format)
        return File(
            path=path,
            filename=f"priced-{job_id}.{format}",
            media_type=RESULT_TYPES[format],
        )
