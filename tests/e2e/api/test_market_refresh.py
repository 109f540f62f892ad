"""POST /api/v1/market/refresh on the app with its job thread (no broker), on SQLite and
PostgreSQL: a good and a broken drop folder; the good one imports, the broken one is
reported by line in the job's report, read back over GET /api/v1/jobs/{id}."""

from __future__ import annotations

from pathlib import Path

from pricing_core.access.roles import Role
from tests.e2e.api.conftest import HEADER, SURVEY, Api

REFRESH = "/api/v1/market/refresh"
BAD = HEADER + "ENG-SWE-P3,Software Engineer III,9999999,,USD,2025-11-01,,,15000,,,,,\n"


def _drop(api: Api, source: str, text: str) -> Path:
    folder = api.container.settings.data_dir / "market-drop" / source
    folder.mkdir(parents=True)
    path = folder / f"{source}.csv"
    path.write_text(text)
    return path


def test_a_refresh_over_http_imports_the_good_folder_and_reports_the_broken_one(
    sql_api: Api,
) -> None:
    _drop(sql_api, "mercer-2025", SURVEY)
    _drop(sql_api, "acme-2025", BAD)

    answer = sql_api.client.post(REFRESH, headers=sql_api.headers(Role.ADMIN))

    assert answer.status_code == 202, answer.text
    assert set(answer.json()) == {"job_id"}
    sql_api.container.jobs.wait()
    job = sql_api.get(f"/api/v1/jobs/{answer.json()['job_id']}", Role.ADMIN).json()
    assert (job["kind"], job["status"]) == ("market_refresh", "partial")
    sources = {s["source"]: s for s in job["report"]["sources"]}
    assert (sources["mercer-2025"]["status"], sources["mercer-2025"]["rows"]) == ("imported", 3)
    (error,) = sources["acme-2025"]["errors"]
    assert (error["file"], error["line"], error["column"]) == ("acme-2025.csv", 2, "area_code")
    loaded = sql_api.get("/api/v1/market/sources/mercer-2025/versions", Role.ADMIN)
    assert loaded.json()["items"][0]["imported_by"] == "system:refresh"


def test_only_holders_of_refresh_external_data_may_refresh(sql_api: Api) -> None:
    refused = sql_api.client.post(REFRESH, headers=sql_api.headers(Role.HR_ANALYST))
    assert refused.status_code == 403
    assert sql_api.client.post(REFRESH).status_code == 401
    bad = sql_api.client.post(
        REFRESH, params={"source": "Not A Name"}, headers=sql_api.headers(Role.ADMIN)
    )
    assert bad.status_code == 400
