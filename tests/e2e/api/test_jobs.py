"""GET /api/v1/jobs and /jobs/{id} over HTTP, on the embedded default (no broker).

A job started from the command line runs in that process and its report is read back over
HTTP; a job is shown to its starter and log readers, and is a 404 to anyone else, exactly
like an id that does not exist; the list is for VIEW_SYSTEM_LOGS, filtered and paged.
"""

from __future__ import annotations

from pricing_core.access.roles import Role
from pricing_core.jobs.model import Job, JobStatus
from tests.e2e.api.conftest import T0, Api


def _job_of(api: Api, role: Role, job_id: str) -> Job:
    me = api.get("/api/v1/auth/me", role).json()
    job = Job(
        id=job_id,
        kind="probe",
        status=JobStatus.QUEUED,
        started_by=me["id"],
        created_at=T0,
        enqueued_at=T0,
    )
    assert api.container.jobs.store.add(job)
    return job


def test_a_job_started_from_the_command_line_runs_and_reads_back_over_http(
    fresh_api: Api,
) -> None:
    code, body = fresh_api.cli("jobs", "start", "probe", "--payload", '{"seconds": 1}')
    assert code == 0
    assert body["status"] == "succeeded"
    answer = fresh_api.get(f"/api/v1/jobs/{body['id']}", Role.ADMIN)
    assert answer.status_code == 200
    assert answer.json() == body
    assert answer.json()["report"] == {"seconds": 1}
    assert answer.json()["progress"] == {"done": 1, "total": 1}


def test_a_job_is_shown_to_its_starter_and_log_readers_and_hidden_from_others(
    fresh_api: Api,
) -> None:
    job = _job_of(fresh_api, Role.HR_ANALYST, "job-of-analyst")
    assert fresh_api.get(f"/api/v1/jobs/{job.id}", Role.HR_ANALYST).status_code == 200
    assert fresh_api.get(f"/api/v1/jobs/{job.id}", Role.ADMIN).status_code == 200
    hidden = fresh_api.get(f"/api/v1/jobs/{job.id}", Role.HR_MANAGER)
    missing = fresh_api.get("/api/v1/jobs/no-such-job", Role.HR_MANAGER)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["code"] == missing.json()["code"] == "not_found"
    assert fresh_api.client.get(f"/api/v1/jobs/{job.id}").status_code == 401


def test_the_list_is_for_log_readers_filtered_and_paged(fresh_api: Api) -> None:
    _job_of(fresh_api, Role.HR_ANALYST, "a")
    _job_of(fresh_api, Role.HR_MANAGER, "b")
    assert fresh_api.get("/api/v1/jobs", Role.HR_MANAGER).status_code == 403
    page = fresh_api.get("/api/v1/jobs", Role.ADMIN, limit=1).json()
    assert page["total"] == 2
    assert len(page["items"]) == 1
    assert fresh_api.get("/api/v1/jobs", Role.ADMIN, status="running").json()["total"] == 0
    assert fresh_api.get("/api/v1/jobs", Role.ADMIN, kind="probe").json()["total"] == 2
    bad = fresh_api.get("/api/v1/jobs", Role.ADMIN, status="sleeping")
    assert bad.status_code == 400
    code, listed = fresh_api.cli("jobs", "list")
    assert code == 0
    assert listed["total"] == 2
