"""What the market routes do beyond one call: audited activation and audited imports.

The audit rows go through the core's `Auditor` on the access log, like every other audited
action: `market_activate` and `market_import`, with the caller, the source and the version.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from litestar.exceptions import HTTPException

from pricing_adapters.bootstrap import Container
from pricing_adapters.uploads import upload_folder
from pricing_api.http.documented import MAX_UPLOAD_BYTES
from pricing_api.http.market_schema import SurveyUpload
from pricing_api.market_views import (
    audit_activation,
    audit_import,
    import_report_json,
    open_survey_file,
    source_json,
    version_json,
)
from pricing_core.access.audit import RequestInfo
from pricing_core.access.model import Principal
from pricing_core.errors import NotFound, UnknownSource
from pricing_core.market.imports import ImportReport
from pricing_core.market.model import Source

__all__ = [
    "SURVEY_MEDIA_TYPES",
    "activate_version",
    "check_survey_file",
    "import_survey_upload",
    "known_source",
    "rejection",
    "versions_json",
]

# A survey is CSV or XLSX; browsers and curl label a file by its name or not at all.
SURVEY_MEDIA_TYPES = {
    ".csv": {"text/csv", "application/csv", "text/plain", "application/vnd.ms-excel"},
    ".xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    ".xlsm": {"application/vnd.ms-excel.sheet.macroenabled.12"},
}
GENERIC_MEDIA_TYPE = "application/octet-stream"
_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")
_CHUNK = 1024 * 1024


def known_source(services: Container, name: str) -> Source:
    """The source a path names; 404 when it is not loaded."""
    source = services.market.source(name)
    if source is None:
        raise NotFound(str(UnknownSource(name)), source=name)
    return source


def versions_json(services: Container, name: str) -> list[dict[str, Any]]:
    """Every version of a loaded source, newest first."""
    known_source(services, name)
    return [version_json(v, on) for v, on in services.market_admin.versions(name)]


def activate_version(
    services: Container, principal: Principal, name: str, version: str, info: RequestInfo
) -> dict[str, Any]:
    """Make `version` the active one of `name` (roll back or forward), audited."""
    previous = known_source(services, name).active_version
    if not any(v.label == version for v, _ in services.market_admin.versions(name)):
        raise NotFound(f"{name} has no version {version!r}", source=name, version=version)
    with services.unit_of_work.transaction():
        services.market_admin.activate(name, version)
        audit_activation(services, principal.actor, name, version, previous, info)
    return source_json(services, known_source(services, name))


def _safe_name(filename: str) -> str:
    """The upload's own file name without folders or odd characters: it names the version."""
    base = Path(filename.replace("\\", "/")).name
    return _UNSAFE.sub("_", base).strip(" .")[-120:]


def check_survey_file(filename: str, media_type: str) -> str:
    """The upload's safe name; 415 unless it is a CSV or XLSX file by name and by label.

    A part without a file name is named after its media type (`survey.csv`, `survey.xlsx`).
    """
    declared = media_type.split(";")[0].strip().lower()
    name = _safe_name(filename)
    suffix = Path(name).suffix.lower()
    if not name:
        suffix = next((s for s, types in SURVEY_MEDIA_TYPES.items() if declared in types), "")
        name = f"survey{suffix}"
    allowed = SURVEY_MEDIA_TYPES.get(suffix)
    if allowed is None or (declared and declared != GENERIC_MEDIA_TYPE and declared not in allowed):
        raise HTTPException(
            status_code=415,
            detail=(
                f"a survey is a .csv or .xlsx file; got {name!r} labelled {declared or 'nothing'}"
            ),
        )
    return name


def import_survey_upload(
    services: Container, principal: Principal, upload: SurveyUpload, info: RequestInfo
) -> ImportReport:
    """Check the upload (415, 413), copy it to a private folder under the data directory, in
    its own name (the version label defaults to it), import it as `pricing market
    import-survey` does, and audit the outcome. A process that dies meanwhile leaves the
    folder behind for the next start to remove (`pricing_adapters.uploads`)."""
    with services.timing.timed("market_import_upload"):
        return _import_upload(services, principal, upload, info)


def _import_upload(
    services: Container, principal: Principal, upload: SurveyUpload, info: RequestInfo
) -> ImportReport:
    name = check_survey_file(upload.file.filename, upload.file.content_type)
    content = upload.file.file
    if content.seek(0, 2) > MAX_UPLOAD_BYTES:
        raise HTTPException(status_code=413, detail="a survey file is at most 50 MiB")
    with upload_folder(services.settings.data_dir) as folder:
        path = folder / name
        with path.open("wb") as out:
            content.seek(0)
            while chunk := content.read(_CHUNK):
                out.write(chunk)
        release = open_survey_file(
            services,
            path,
            source=upload.source,
            pay_period=upload.pay_period,
            months_per_year=upload.months_per_year,
            sheet=upload.sheet,
            label=upload.label,
        )
        report = services.market_loader.load(release, imported_by=principal.actor)
    audit_import(services, principal.actor, report, name, info)
    return report


def rejection(report: ImportReport) -> tuple[str, dict[str, Any]]:
    """A rejected import's problem detail and fields: the report plus `errors`, one a row."""
    body = import_report_json(report)
    body["errors"] = [
        {
            "field": f"line {p.line}, column {p.column or '-'}" if p.line else "file",
            "message": p.describe(),
        }
        for p in report.problems
    ]
    shown = len(report.problems)
    more = f" (the first {shown} listed)" if report.problem_count > shown else ""
    detail = f"rejected: {report.problem_count} problem(s){more}; nothing was changed"
    return detail, body
