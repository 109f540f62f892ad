"""Backups served and scheduled: POST /api/v1/backups and /api/v1/backups/verify start the
`backup_create` and `backup_verify` jobs, which run in the API's own job thread (no broker),
report as `pricing backups verify --json` does, and feed GET /api/v1/backups; the worker's
schedule starts the same kind with the restore test. On SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from pricing_adapters.argon2_hasher import Argon2PasswordHasher
from pricing_adapters.bootstrap import build_container
from pricing_adapters.worker.scheduler import Scheduler
from pricing_core.access.roles import Permission, Role
from pricing_core.backups.jobs import BACKUP_CREATE, RunBackupCreate, RunBackupVerify
from pricing_core.jobs.model import JobQuery
from tests.e2e.access.conftest import PASSWORD, Api, bearer, open_api, settings_for
from tests.e2e.backups.test_backups_cli import load_market, report
from tests.gear.clock import FakeClock


@pytest.fixture(scope="module")
def password_hash() -> str:
    return Argon2PasswordHasher().hash(PASSWORD)


@pytest.fixture
def env(database_url: str, tmp_path: Path) -> dict[str, str]:
    found = {
        "PRICING_DATA_DIR": str(tmp_path / "data"),
        "PRICING_DATABASE_URL": database_url,
        "PRICING_BUNDLED_DATA": "false",
        "PRICING_BACKUP_DIR": str(tmp_path / "backups"),
    }
    load_market(found, tmp_path)
    return found


@pytest.fixture
def api(env: dict[str, str], tmp_path: Path, password_hash: str) -> Iterator[Api]:
    settings = settings_for(
        Path(env["PRICING_DATA_DIR"]),
        env["PRICING_DATABASE_URL"],
        PRICING_BACKUP_DIR=env["PRICING_BACKUP_DIR"],
    )
    yield from open_api(settings, password_hash, migrate=False)


def admin(api: Api) -> dict[str, str]:
    return bearer(api.session(Role.ADMIN)[1]["access_token"])


def started(api: Api, path: str, headers: dict[str, str], body: Any = None) -> dict[str, Any]:
    """Start a job over HTTP, wait for the job thread to run it, and read it back."""
    response = api.client.post(path, json=body, headers=headers)
    assert response.status_code == 202, response.text
    job_id = response.json()["job_id"]
    api.container.jobs.wait()
    job = api.client.get(f"/api/v1/jobs/{job_id}", headers=headers)
    assert job.status_code == 200, job.text
    found: dict[str, Any] = job.json()
    assert found["id"] == job_id
    return found


def listing(api: Api, headers: dict[str, str]) -> dict[str, Any]:
    response = api.client.get("/api/v1/backups", headers=headers)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def test_create_and_verify_jobs_report_what_the_command_line_does(
    api: Api, env: dict[str, str]
) -> None:
    headers = admin(api)
    assert listing(api, headers) == {"backups": [], "last_verification": None}

    created = started(api, "/api/v1/backups", headers, {})  # {}: restore test included
    assert created["kind"] == BACKUP_CREATE
    assert created["status"] == "succeeded", created
    assert created["progress"] == {"done": 2, "total": 2}
    filename = created["report"]["created"]["filename"]
    assert created["report"]["restore_test"]["ok"] is True
    assert created["report"]["restore_test"]["filename"] == filename

    verified = started(api, "/api/v1/backups/verify", headers, {"restore_test": True})
    assert verified["kind"] == "backup_verify"
    assert verified["status"] == "succeeded", verified
    job_report = verified["report"]
    code, printed = report(env, "--restore-test")
    assert code == 0
    assert job_report.keys() == printed.keys()
    assert job_report["backups"] == printed["backups"]
    assert job_report["backups_valid"] == printed["backups_valid"] == 1
    assert job_report["restore_test"]["tables"] == printed["restore_test"]["tables"]

    listed = listing(api, headers)
    assert [b["filename"] for b in listed["backups"]] == [filename]
    assert listed["backups"][0]["valid"] is True
    last = listed["last_verification"]
    assert (last["job_id"], last["kind"], last["status"]) == (
        verified["id"],
        "backup_verify",
        "succeeded",
    )
    assert last["ok"] is True
    assert last["restore_test"]["ok"] is True


def test_a_failed_verification_fails_the_job_and_keeps_its_report(
    api: Api, env: dict[str, str]
) -> None:
    headers = admin(api)
    created = started(api, "/api/v1/backups", headers, {"restore_test": False})
    assert created["status"] == "succeeded", created
    assert created["report"]["restore_test"] is None
    backup = Path(created["report"]["created"]["path"])
    data = backup.read_bytes()
    backup.write_bytes(data[: len(data) // 2])

    verified = started(api, "/api/v1/backups/verify", headers, {"restore_test": True})
    assert verified["status"] == "failed"
    assert verified["report"]["backups_invalid"] == 1
    assert verified["report"]["ok"] is False
    assert verified["error"]
    assert backup.read_bytes() == data[: len(data) // 2]  # verification alters nothing
    listed = listing(api, headers)
    assert listed["backups"][0]["valid"] is False
    assert listed["last_verification"]["job_id"] == verified["id"]
    assert listed["last_verification"]["status"] == "failed"


@pytest.mark.parametrize("role", [Role.VIEWER, Role.HR_ANALYST, Role.HR_MANAGER])
def test_only_an_admin_starts_or_reads_backups(api: Api, env: dict[str, str], role: Role) -> None:
    headers = bearer(api.session(role)[1]["access_token"])
    for method, path, body in [
        ("GET", "/api/v1/backups", None),
        ("POST", "/api/v1/backups", {}),
        ("POST", "/api/v1/backups/verify", {"restore_test": False}),
    ]:
        response = api.client.request(method, path, json=body, headers=headers)
        assert response.status_code == 403, (path, response.text)
    backups = Path(env["PRICING_BACKUP_DIR"])
    assert not backups.exists() or list(backups.iterdir()) == []
    assert api.container.jobs.store.query(JobQuery())[1] == 0


def test_a_bad_body_is_refused_by_field(api: Api) -> None:
    headers = admin(api)
    for body in [{"restore_test": "yes"}, {"restore_tests": True}]:
        response = api.client.post("/api/v1/backups/verify", json=body, headers=headers)
        assert response.status_code == 400, response.text
        assert "restore_test" in response.text
    # A number is no boolean, though a lax conversion would read 0 as false.
    response = api.client.post("/api/v1/backups/verify", json={"restore_test": 0}, headers=headers)
    assert response.status_code == 422, response.text
    assert "restore_test" in response.json()["field"]


def test_the_schedule_starts_the_same_use_case_with_the_restore_test(api: Api) -> None:
    jobs = api.container.jobs
    assert jobs.schedules[BACKUP_CREATE] == "0 1 * * *"
    kind = jobs.kinds.get(BACKUP_CREATE)
    assert kind.schedulable
    run = kind.run
    assert isinstance(run, RunBackupCreate)
    verify = jobs.kinds.get("backup_verify").run
    assert isinstance(verify, RunBackupVerify)
    assert run.verify is verify.verify  # one VerifyBackups behind both kinds

    clock = FakeClock(datetime(2026, 5, 1, 0, 59, 40, tzinfo=UTC))
    scheduler = Scheduler(
        start=jobs.start, reconcile=jobs.reconcile, schedules=jobs.schedules, clock=clock
    )
    scheduler.tick()
    clock.advance(seconds=30)
    ids = scheduler.tick()
    assert ids == ["backup_create@2026-05-01T01:00Z"]
    jobs.wait()
    job = jobs.store.get(ids[0])
    assert job is not None
    assert dict(job.payload) == {"restore_test": True}
    assert job.started_by == "system:scheduler"
    assert str(job.status) == "succeeded", job.error
    assert job.report is not None
    restore = job.report["restore_test"]
    assert isinstance(restore, dict)
    assert restore["ok"] is True


def test_memory_schedules_no_backup(tmp_path: Path) -> None:
    """memory:// keeps nothing on disk: a daily failed backup job would only be noise."""
    settings = settings_for(tmp_path, "memory://", PRICING_BACKUP_SCHEDULE="0 1 * * *")
    container = build_container(settings)
    assert container.jobs.schedules[BACKUP_CREATE] == ""
    assert container.jobs.kinds.get(BACKUP_CREATE).permission is Permission.MANAGE_BACKUPS
