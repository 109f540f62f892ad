"""Batch pricing: `pricing price --file` and POST /api/v1/pricing/batches, embedded mode.

Every row is priced as a single quote is: its figures equal `pricing price --json` of the
same inputs. A bad row gets its `error` (naming the column) and the others go on.
"""

from __future__ import annotations

import csv
import io
import json
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from pricing_api.cli import cli
from pricing_core.access.roles import Role
from pricing_core.jobs.model import FINISHED, Job, JobStatus
from tests.e2e.api.conftest import T0, Api

ROWS = [
    {"title": "Software Developer", "match": "", "area": "San Jose", "percentile": "50"},
    {"title": "Registered Nurse", "match": "", "area": "0041940", "percentile": "abc"},
    {
        "title": "",
        "match": "oews-2025:15-1252;oews-2025:15-1253:close:0.05",
        "area": "0041940",
        "percentile": "",
    },
    {"title": "Accountant", "match": "", "area": "0000000", "percentile": "75"},
]
EXTRA = {"date": "2026-06-30", "level": "", "positioning": "0.05", "spread": "0.4"}
HEADER = ["title", "match", "area", "percentile", "date", "level", "positioning", "spread", "note"]
MONEY = ["market_rate", "p10", "p25", "p50", "p75", "p90", "minimum", "midpoint", "maximum"]


def _rows() -> list[list[str]]:
    return [[{**r, **EXTRA, "note": f"n{i}"}[c] for c in HEADER] for i, r in enumerate(ROWS)]


def _csv(path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows(_rows())
    return path


def _xlsx(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for row in _rows():
        sheet.append(row)
    book.save(path)
    return path


def _single(api: Api, row: dict[str, str]) -> dict[str, Any]:
    """`pricing price --json` of the row's inputs."""
    args = ["price", "--area", row["area"], "--date", EXTRA["date"]]
    args += ["--positioning", EXTRA["positioning"], "--spread", EXTRA["spread"]]
    if row["title"]:
        args += ["--title", row["title"]]
    for spec in filter(None, row["match"].split(";")):
        args += ["--match", spec]
    if row["percentile"]:
        args += ["--percentile", row["percentile"]]
    code, body = api.cli(*args)
    assert code == 0, body
    return dict(body)


def _same_as_single(api: Api, priced: dict[str, Any], row: dict[str, str]) -> None:
    single = _single(api, row)
    expected = {
        "market_rate": single["market_rate"],
        **single["market"],
        **{k: single["range"][k] for k in ("minimum", "midpoint", "maximum")},
    }
    for column in MONEY:
        assert Decimal(str(priced[column])) == Decimal(str(expected[column])), column
    assert int(priced["confidence"]) == single["confidence"]["score"]
    assert priced["confidence_label"] == single["confidence"]["label"]
    assert priced["area_code"] == single["area"]["code"]
    assert priced["currency"] == single["currency"]


def _check_priced(api: Api, rows: list[dict[str, Any]]) -> None:
    assert [r["note"] for r in rows] == ["n0", "n1", "n2", "n3"]  # input columns kept
    assert rows[1]["error"].startswith("percentile:")
    assert rows[1]["market_rate"] in ("", None)
    for index in (0, 2, 3):
        assert rows[index]["error"] in ("", None)
        _same_as_single(api, rows[index], ROWS[index])
    assert rows[2]["job_code"] == "15-1252;15-1253"
    assert rows[0]["job_code"] == "15-1252"


def _price_file(api: Api, source: Path, output: Path) -> Any:
    return CliRunner().invoke(
        cli, ["price", "--file", str(source), "--output", str(output)], obj=api.container
    )


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_command_line_prices_each_row_as_a_single_quote_and_reports_the_bad_one(
    api: Api, tmp_path: Path, kind: str
) -> None:
    source = _csv(tmp_path / "jobs.csv") if kind == "csv" else _xlsx(tmp_path / "jobs.xlsx")
    output = tmp_path / "priced.json"
    result = _price_file(api, source, output)
    assert result.exit_code == 1
    assert "rows 4, failed 1" in result.stderr
    _check_priced(api, json.loads(output.read_text()))


def test_the_command_line_writes_csv_and_xlsx_with_every_column(api: Api, tmp_path: Path) -> None:
    source = _csv(tmp_path / "jobs.csv")
    assert _price_file(api, source, tmp_path / "priced.csv").exit_code == 1
    with (tmp_path / "priced.csv").open(newline="") as text:
        reader = csv.DictReader(text)
        rows = list(reader)
        assert reader.fieldnames is not None
        assert reader.fieldnames[: len(HEADER)] == HEADER
        assert reader.fieldnames[-2:] == ["warnings", "error"]
    _check_priced(api, rows)
    assert _price_file(api, source, tmp_path / "priced.xlsx").exit_code == 1
    sheet = openpyxl.load_workbook(tmp_path / "priced.xlsx").worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0][: len(HEADER)]) == HEADER
    names = [str(v) for v in values[0]]
    as_rows = [dict(zip(names, v, strict=True)) for v in values[1:]]
    _check_priced(api, as_rows)


def test_a_file_without_an_area_column_is_refused_naming_it(api: Api, tmp_path: Path) -> None:
    source = tmp_path / "jobs.csv"
    source.write_text("title\nAccountant\n")
    result = CliRunner().invoke(cli, ["price", "--file", str(source)], obj=api.container)
    assert result.exit_code == 2
    assert "area" in result.stderr


def test_a_file_of_good_rows_exits_zero(api: Api, tmp_path: Path) -> None:
    source = tmp_path / "jobs.csv"
    source.write_text("match,area\noews-2025:15-1252,0041940\n")
    result = CliRunner().invoke(cli, ["price", "--file", str(source)], obj=api.container)
    assert result.exit_code == 0
    assert "rows 1, failed 0" in result.stderr
    assert result.stdout.splitlines()[0].startswith("match,area,job_code,")


def _upload(api: Api, content: bytes, name: str, role: Role, media: str = "text/csv") -> Any:
    return api.client.post(
        "/api/v1/pricing/batches",
        files={"file": (name, content, media)},
        headers=api.headers(role),
    )


def _finished(api: Api, job_id: str, role: Role) -> dict[str, Any]:
    for _ in range(600):
        job = api.get(f"/api/v1/jobs/{job_id}", role).json()
        if job["status"] in FINISHED:
            return dict(job)
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish")


def test_an_upload_is_priced_by_a_job_and_its_result_downloads_in_three_formats(
    api: Api, tmp_path: Path
) -> None:
    content = _csv(tmp_path / "jobs.csv").read_bytes()
    started = _upload(api, content, "jobs.csv", Role.VIEWER)
    assert started.status_code == 202, started.text
    job_id = started.json()["job_id"]
    job = _finished(api, job_id, Role.VIEWER)
    assert job["kind"] == "price_batch"
    assert job["status"] == "partial"
    assert job["report"]["rows"] == 4
    assert job["report"]["failed"] == 1
    path = f"/api/v1/pricing/batches/{job_id}/result"
    as_json = api.get(path, Role.VIEWER, format="json")
    assert as_json.status_code == 200
    assert as_json.headers["content-type"].startswith("application/json")
    _check_priced(api, as_json.json())
    as_csv = api.get(path, Role.VIEWER, format="csv")
    assert as_csv.headers["content-type"].startswith("text/csv")
    _check_priced(api, list(csv.DictReader(io.StringIO(as_csv.text))))
    as_xlsx = api.get(path, Role.VIEWER, format="xlsx")
    values = list(
        openpyxl.load_workbook(io.BytesIO(as_xlsx.content))
        .worksheets[0]
        .iter_rows(values_only=True)
    )
    names = [str(v) for v in values[0]]
    _check_priced(api, [dict(zip(names, v, strict=True)) for v in values[1:]])
    stored = api.container.settings.data_dir / "batches"
    assert len(list(stored.glob("*/result.csv"))) >= 1


def test_a_viewer_cannot_read_another_users_batch_but_a_log_reader_can(
    api: Api, tmp_path: Path
) -> None:
    content = _csv(tmp_path / "jobs.csv").read_bytes()
    job_id = _upload(api, content, "jobs.csv", Role.HR_ANALYST).json()["job_id"]
    _finished(api, job_id, Role.HR_ANALYST)
    path = f"/api/v1/pricing/batches/{job_id}/result"
    assert api.get(path, Role.VIEWER).status_code == 404
    assert api.get(path, Role.HR_ANALYST).status_code == 200
    assert api.get(path, Role.ADMIN).status_code == 200
    assert api.client.get(path).status_code == 401


def test_a_file_that_is_not_csv_or_xlsx_is_refused(api: Api) -> None:
    refused = _upload(api, b"%PDF-1.4", "jobs.pdf", Role.VIEWER, "application/pdf")
    assert refused.status_code == 415


def test_a_file_without_the_columns_fails_its_job_and_has_no_result(api: Api) -> None:
    job_id = _upload(api, b"note\nx\n", "jobs.csv", Role.VIEWER).json()["job_id"]
    job = _finished(api, job_id, Role.VIEWER)
    assert job["status"] == "failed"
    assert "title" in job["error"]
    answer = api.get(f"/api/v1/pricing/batches/{job_id}/result", Role.VIEWER)
    assert answer.status_code == 404


def test_the_result_of_a_running_job_is_a_conflict_and_of_another_kind_not_found(
    api: Api,
) -> None:
    code, body = api.cli("jobs", "start", "probe", "--payload", '{"seconds": 0}')
    assert code == 0
    other = api.get(f"/api/v1/pricing/batches/{body['id']}/result", Role.ADMIN)
    assert other.status_code == 404


def test_the_result_of_a_queued_batch_is_a_conflict(api: Api) -> None:
    me = api.get("/api/v1/auth/me", Role.VIEWER).json()
    job = Job(
        id="queued-batch",
        kind="price_batch",
        status=JobStatus.QUEUED,
        payload={"batch": "0" * 32},
        started_by=me["id"],
        created_at=T0,
        enqueued_at=T0,
    )
    assert api.container.jobs.store.add(job)
    answer = api.get("/api/v1/pricing/batches/queued-batch/result", Role.VIEWER)
    assert answer.status_code == 409
    assert answer.json()["job_status"] == "queued"
