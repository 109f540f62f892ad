"""POST /api/v1/market/imports: survey files through HTTP, checked as the command line checks
them, answered with the same report, audited; and the uploads that are refused."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import msgspec
import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.worksheet.worksheet import Worksheet

from pricing_api.cli import cli
from pricing_api.http.market_schema import ImportReportOut
from pricing_core.access.roles import Role
from tests.e2e.api.conftest import HEADER, SURVEY, Api
from tests.e2e.api.test_quote import fields, problem_of

BAD = HEADER + (
    "ENG-1,Engineer,0041940,,USD,2025-11-01,,,-5,,,annual,,\n"
    "ENG-2,Engineer,9999999,,XYZ,2025-13-01,,,100000,,,annual,,\n"
)
TIMING = {"seconds", "rows_per_second"}


def without_timing(report: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in report.items() if k not in TIMING}


def cli_import(api: Api, path: Path, *options: str) -> tuple[int, dict[str, Any]]:
    args = ["market", "import-survey", str(path), "--source", "mercer-2025", *options, "--json"]
    result = CliRunner().invoke(cli, args, obj=api.container)
    return result.exit_code, msgspec.json.decode(result.stdout.strip().splitlines()[-1])


# p10, p25, p50, p75, p90, pay_period, incumbents, organizations
MONTHLY_CELLS = ["", "", 20000, "", "", "", 10, 8]


def xlsx(rows: Sequence[Sequence[object]], sheet: str = "Survey") -> bytes:
    book = openpyxl.Workbook()
    active = book.active
    assert isinstance(active, Worksheet)  # a new workbook has one sheet, and it is active
    active.title = sheet
    for row in rows:
        active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_survey_loads_as_the_command_line_loads_it(fresh_api: Api, tmp_path: Path) -> None:
    api = fresh_api
    response = api.upload(SURVEY, months_per_year="13")
    assert response.status_code == 200, response.text
    report = response.json()
    assert msgspec.to_builtins(msgspec.convert(report, ImportReportOut)) == report
    assert (report["source"], report["outcome"], report["rows"]) == ("mercer-2025", "loaded", 3)
    assert report["version"] == f"mercer-2025-{report['sha256'][:8]}"  # named after the file
    # The same file from the command line: the same checks, the same (unchanged) version.
    path = tmp_path / "mercer-2025.csv"
    path.write_text(SURVEY)
    code, printed = cli_import(api, path, "--months-per-year", "13")
    assert code == 0
    assert without_timing(printed) == {**without_timing(report), "outcome": "unchanged", "rows": 0}
    again = api.upload(SURVEY, months_per_year="13").json()
    assert again["outcome"] == "unchanged"
    cut = api.get(
        "/api/v1/market/cuts", source="mercer-2025", job_code="ENG-SWE-P3", area="0041940"
    )
    assert cut.json()["percentiles"]["p50"]["value"] == 195000.0  # 15,000 × 13
    assert cut.json()["organizations"] == 12


def test_imports_are_audited(fresh_api: Api) -> None:
    api = fresh_api
    api.upload(SURVEY, label="v1")
    api.upload(BAD, label="v2")
    (loaded,) = api.events(action="market_import", outcome="success")
    (rejected,) = api.events(action="market_import", outcome="failure")
    admin = api.container.access.users.by_email("admin@example.com")
    assert admin is not None
    assert (loaded.outcome, loaded.actor, loaded.target_id) == ("success", admin.id, "mercer-2025")
    assert loaded.detail["version"] == "v1"
    assert loaded.detail["rows"] == 3
    assert (rejected.outcome, rejected.detail["problem_count"]) == ("failure", 4)
    versions = api.get("/api/v1/market/sources/mercer-2025/versions").json()["items"]
    assert [v["imported_by"] for v in versions] == [admin.id]


def test_a_bad_file_is_rejected_with_every_problem(fresh_api: Api, tmp_path: Path) -> None:
    api = fresh_api
    body = problem_of(api.upload(BAD), 422)
    assert body["code"] == "import_rejected"
    assert body["outcome"] == "rejected"
    wanted = [
        (2, "p50", "-5"),
        (3, "area_code", "9999999"),
        (3, "currency", "XYZ"),
        (3, "effective_date", "2025-13-01"),
    ]
    listed = [(p["line"], p["column"], p["value"]) for p in body["problems"]]
    assert all(item in listed for item in wanted), listed
    assert body["problem_count"] == len(body["problems"]) == len(body["errors"])
    assert "line 3, column currency" in fields(body)
    path = tmp_path / "mercer-2025.csv"
    path.write_text(BAD)
    code, printed = cli_import(api, path)
    assert code == 1
    error = printed["error"]
    assert (error["code"], error["message"]) == (body["code"], body["detail"])
    assert (error["problems"], error["errors"]) == (body["problems"], body["errors"])
    assert api.get("/api/v1/market/sources").json()["total"] == 1  # nothing was loaded


def test_an_xlsx_survey_with_a_sheet_and_monthly_figures(fresh_api: Api) -> None:
    rows: list[list[object]] = [
        [h.strip() for h in HEADER.split(",")],
        ["ENG-9", "Engineer IX", "0041940", "", "USD", "2025-11-01", *MONTHLY_CELLS],
    ]
    content = xlsx(rows, sheet="Pay")
    media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = fresh_api.upload(content, "pay.xlsx", media, sheet="Pay", pay_period="monthly")
    assert response.status_code == 200, response.text
    assert response.json()["version"].startswith("pay-")
    cut = fresh_api.get(
        "/api/v1/market/cuts", source="mercer-2025", job_code="ENG-9", area="San Jose"
    )
    assert cut.json()["percentiles"]["p50"]["value"] == 240000.0
    other = xlsx([*rows, ["ENG-8", "Engineer VIII", "0041940", "", "USD", "2025-11-01"]])
    body = problem_of(fresh_api.upload(other, "pay.xlsx", media, sheet="Nope"), 422)
    assert "no sheet named 'Nope'" in body["problems"][0]["reason"]


@pytest.mark.parametrize(
    ("name", "media_type"),
    [
        ("survey.png", "image/png"),
        ("survey.csv", "application/pdf"),
        ("survey.txt", "text/plain"),
        ("survey.xlsx", "text/csv"),
        ("survey", "application/octet-stream"),
    ],
)
def test_only_csv_and_xlsx_files_are_taken(api: Api, name: str, media_type: str) -> None:
    body = problem_of(api.upload(SURVEY, name, media_type), 415)
    assert body["code"] == "unsupported_media_type"


def test_a_csv_labelled_generically_is_taken(fresh_api: Api) -> None:
    assert fresh_api.upload(SURVEY, "s.csv", "application/octet-stream").status_code == 200


def test_a_body_that_is_not_a_form_is_refused(api: Api) -> None:
    response = api.client.post(
        "/api/v1/market/imports", json={"source": "mercer-2025"}, headers=api.headers()
    )
    assert problem_of(response, 415)["code"] == "unsupported_media_type"


def test_an_oversized_file_is_refused(api: Api) -> None:
    big = SURVEY.encode() + b"x" * (50 * 1024 * 1024 + 1)
    assert problem_of(api.upload(big), 413)["code"] == "payload_too_large"


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"bogus": "1"}, "bogus"),
        ({"months_per_year": "20"}, "months_per_year"),
        ({"months_per_year": "twelve"}, "months_per_year"),
        ({"pay_period": "weekly"}, "pay_period"),
        ({"source": ""}, "source"),
        ({"label": ""}, "label"),
    ],
)
def test_bad_form_fields_are_named(api: Api, form: dict[str, Any], field: str) -> None:
    body = problem_of(api.upload(SURVEY, **form), 400)
    assert field in fields(body), body


def test_a_missing_file_is_named(api: Api) -> None:
    response = api.client.post(
        "/api/v1/market/imports",
        files={"other": ("a.csv", b"x", "text/csv")},
        data={"source": "mercer-2025"},
        headers=api.headers(),
    )
    assert "other" in fields(problem_of(response, 400))
    response = api.client.post(
        "/api/v1/market/imports",
        data={"source": "mercer-2025", "label": "x"},
        headers={**api.headers(), "content-type": "multipart/form-data; boundary=zz"},
    )
    problem_of(response, 400)


def test_only_importers_import(api: Api) -> None:
    for role in (Role.VIEWER, Role.HR_ANALYST, Role.HR_MANAGER):
        problem_of(api.upload(SURVEY, role=role), 403)
    response = api.client.post(
        "/api/v1/market/imports",
        files={"file": ("s.csv", SURVEY.encode(), "text/csv")},
        data={"source": "mercer-2025"},
    )
    problem_of(response, 401)
