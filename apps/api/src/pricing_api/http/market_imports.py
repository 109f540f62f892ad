"""POST /api/v1/market/imports: a survey file uploaded as a new version (IMPORT_MARKET_DATA).

Multipart: `file` (CSV or XLSX, at most 50 MiB) and `source`, optionally `pay_period`,
`months_per_year`, `sheet`, `label`: the options of `pricing market import-survey`, checked by
the same code, answering the same report. A rejected file changes nothing and answers 422
with every problem; a source of another kind under that name answers 409
(`source_kind_conflict`). Loaded, unchanged, rejected and refused imports are all audited
(`market_import`) by the core's import use case.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, post
from litestar.enums import RequestEncodingType
from litestar.exceptions import HTTPException, ValidationException
from litestar.params import Body

from pricing_api.http.documented import MAX_UPLOAD_BYTES, answer, problem_answers
from pricing_api.http.market_actions import import_survey_upload
from pricing_api.http.market_schema import ImportReportOut, SurveyUpload
from pricing_api.http.problems import problem
from pricing_api.http.schemas import Caller, Info, Services
from pricing_api.http.security import needs
from pricing_api.market_views import IMPORT_REJECTED, import_report_out, rejection
from pricing_core.access.roles import Permission
from pricing_core.market.imports import ImportOutcome

__all__ = ["MarketImportsController"]

# The form's other fields and the multipart framing fit in far less than this.
_FORM_SLACK = 64 * 1024
_FIELDS = set(SurveyUpload.__dataclass_fields__)


async def _multipart_only(request: Request[Any, Any, Any]) -> None:
    """415 for a body that is not a multipart form; 400 naming a field the form does not know."""
    if request.content_type[0] != RequestEncodingType.MULTI_PART:
        raise HTTPException(
            status_code=415,
            detail=f"send multipart/form-data with a `file` part, not {request.content_type[0]}",
        )
    unknown = sorted(set((await request.form()).keys()) - _FIELDS)
    if unknown:
        raise ValidationException(
            detail="unknown form field",
            extra=[{"key": "data", "message": f"unknown field `{name}`"} for name in unknown],
        )


class MarketImportsController(Controller):
    path = "/api/v1/market/imports"
    tags = ("market data",)

    @post(
        "/",
        opt=needs(Permission.IMPORT_MARKET_DATA),
        status_code=200,
        sync_to_thread=True,
        before_request=_multipart_only,
        request_max_body_size=MAX_UPLOAD_BYTES + _FORM_SLACK,
        summary="Import a survey file (CSV or XLSX) as a new version of a source; audited",
        responses={
            **answer(200, ImportReportOut, "Loaded (now active) or unchanged (same checksum)."),
            **problem_answers(400, 401, 403, 409, 413, 415, 422, 503),
        },
    )
    def upload(
        self,
        data: Annotated[
            SurveyUpload,
            Body(
                media_type=RequestEncodingType.MULTI_PART,
                schema_extra={"additionalProperties": False},  # other fields answer 400
            ),
        ],
        services: Services,
        principal: Caller,
        info: Info,
    ) -> Response[Any]:
        report = import_survey_upload(services, principal, data, info)
        if report.outcome is ImportOutcome.REJECTED:
            detail, body = rejection(report)
            return problem(422, IMPORT_REJECTED, detail, **body)
        return Response(import_report_out(report), status_code=200)
