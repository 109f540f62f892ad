"""The backup job kinds' payload check, and which job GET /api/v1/backups reads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pricing_adapters.jobs_memory import InMemoryJobStore
from pricing_core.access.model import Principal
from pricing_core.access.roles import Role
from pricing_core.backups.jobs import (
    BACKUP_CREATE,
    BACKUP_VERIFY,
    ListBackups,
    check_restore_test,
)
from pricing_core.errors import Forbidden, InvalidRequest
from pricing_core.jobs.model import Job, JobStatus

T0 = datetime(2026, 12, 2, 1, tzinfo=UTC)
ADMIN = Principal(role=Role.ADMIN, user_id="ada")


def test_the_restore_test_is_asked_unless_refused() -> None:
    assert check_restore_test({}) == {"restore_test": True}
    assert check_restore_test({"restore_test": False}) == {"restore_test": False}


@given(st.one_of(st.integers(), st.text(), st.none(), st.floats(allow_nan=False)))
def test_a_restore_test_that_is_not_a_bool_is_refused_by_name(value: object) -> None:
    with pytest.raises(InvalidRequest) as raised:
        check_restore_test({"restore_test": value})
    assert raised.value.details["field"] == "payload.restore_test"


def test_an_unknown_field_is_refused_by_name() -> None:
    with pytest.raises(InvalidRequest) as raised:
        check_restore_test({"restore_tst": True})
    assert raised.value.details["field"] == "payload.restore_tst"


def job(job_id: str, kind: str, status: JobStatus, minutes: int, report: bool = True) -> Job:
    at = T0 + timedelta(minutes=minutes)
    finished = status in {JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.PARTIAL}
    return Job(
        id=job_id,
        kind=kind,
        status=status,
        started_by="ada",
        created_at=at,
        enqueued_at=at,
        started_at=at if status is not JobStatus.QUEUED else None,
        finished_at=at if finished else None,
        report={"ok": True} if report and finished else None,
    )


def test_the_list_reads_the_newest_finished_backup_job_of_either_kind() -> None:
    store = InMemoryJobStore()
    listing = ListBackups(jobs=store)
    assert listing(ADMIN) is None
    for found in [
        job("old-verify", BACKUP_VERIFY, JobStatus.SUCCEEDED, 0),
        job("create", BACKUP_CREATE, JobStatus.FAILED, 10),
        job("running", BACKUP_VERIFY, JobStatus.RUNNING, 20),
        job("lost", BACKUP_VERIFY, JobStatus.FAILED, 30, report=False),
        job("other", "housekeeping", JobStatus.SUCCEEDED, 40),
    ]:
        assert store.add(found)
    newest = listing(ADMIN)
    assert newest is not None
    assert newest.id == "create"


@pytest.mark.parametrize("role", [Role.VIEWER, Role.HR_ANALYST, Role.HR_MANAGER])
def test_only_manage_backups_reads_the_list(role: Role) -> None:
    with pytest.raises(Forbidden):
        ListBackups(jobs=InMemoryJobStore())(Principal(role=role, user_id="u"))
