"""What the market routes do around their use case: check an upload, shape the answers.

Activation and imports are the core's use cases (`Container.activate_version`,
`Container.import_release`): they check the permission, audit and raise the domain errors.
"""

from __future__ import annotations

import re
from pathlib import Path

from litestar.exceptions import HTTPException

from pricing_adapters.bootstrap import Container
from pricing_adapters.uploads import upload_folder
from pricing_api.http.documented import MAX_UPLOAD_BYTES
from pricing_api.http.market_schema import SurveyUpload
from pricing_api.market_views import (
    SourceOut,
    VersionOut,
    open_survey_file,
    source_out,
    version_out,
)
from pricing_core.access.audit import RequestInfo
from pricing_core.access.model import Principal
from pricing_core.market.imports import ImportReport

__all__ = [
    "SURVEY_MEDIA_TYPES",
    "activate_version",
    "check_survey_file",
    "import_survey_upload",
    "versions_out",
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


def versions_out(services: Container, principal: Principal, name: str) -> list[VersionOut]:
    """Every version of a loaded source, newest first; 404 for a source not loaded."""
    return [version_out(v, on) for v, on in services.list_versions(principal, name)]


def activate_version(
    services: Container, principal: Principal, name: str, version: str, info: RequestInfo
) -> SourceOut:
    """Make `version` the active one of `name` (roll back or forward), audited."""
    return source_out(services, services.activate_version(principal, name, version, info))


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
        return services.import_release(principal, release, file=name, info=info)
