"""The job use cases: who may start and read a job, how it runs once, how failures end.

A message delivered twice runs the job once; a transient failure queues the job again
and asks for a retry, until the attempts run out; a domain error fails the job with its
message; an unexpected error fails it with its type's name only and is raised again.
"""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError

from pricing_core.access.audit import RequestInfo
from pricing_core.access.model import AuditQuery, Principal
from pricing_core.access.roles import Role
from pricing_core.errors import Forbidden, InvalidRequest, NoMarketData, NotFound
from pricing_core.jobs.kinds import JobResult
from pricing_core.jobs.model import JobQuery, JobStatus, claimed
from pricing_core.jobs.ports import Progress
from pricing_core.jobs.running import RetryLater
from pricing_core.jobs.service import SCHEDULER
from tests.service.jobs.conftest import T0, Jobs

ANALYST = Principal(role=Role.HR_ANALYST, user_id="u-analyst")
OTHER = Principal(role=Role.HR_MANAGER, user_id="u-other")
VIEWER = Principal(role=Role.VIEWER, user_id="u-viewer")
ADMIN = Principal(role=Role.ADMIN, user_id="u-admin")
INFO = RequestInfo(ip="10.0.0.1", request_id="req-42")


def test_starting_records_a_queued_job_audits_it_and_sends_it(jobs: Jobs) -> None:
    job = jobs.start(ANALYST, "work", {"rows": 3}, INFO)
    assert job.status is JobStatus.QUEUED
    assert job.started_by == "u-analyst"
    assert job.request_id == "req-42"
    assert job.created_at == T0
    assert jobs.store.get(job.id) == job
    assert jobs.queue.sent == [job.id]
    events, _ = jobs.audit.query(AuditQuery(action="job_start"))
    assert [(e.actor, e.target_id, e.detail["kind"]) for e in events] == [
        ("u-analyst", job.id, "work")
    ]


def test_a_job_started_outside_a_request_gets_a_request_id_of_its_own(jobs: Jobs) -> None:
    first = jobs.start(ANALYST, "work", {}, RequestInfo())
    second = jobs.start(ANALYST, "work", {}, RequestInfo())
    assert first.request_id
    assert second.request_id
    assert first.request_id != second.request_id


def test_a_kind_needs_its_permission_and_an_unknown_kind_is_named(jobs: Jobs) -> None:
    with pytest.raises(Forbidden):
        jobs.start(VIEWER, "work", {}, INFO)
    with pytest.raises(InvalidRequest) as raised:
        jobs.start(ADMIN, "nope", {}, INFO)
    assert raised.value.field == "kind"
    assert jobs.store.query(JobQuery())[1] == 0
    assert jobs.queue.sent == []


def test_a_broker_that_does_not_answer_loses_nothing(jobs: Jobs) -> None:
    jobs.queue.down = True
    job = jobs.start(ANALYST, "work", {}, INFO)
    assert jobs.store.get(job.id) == job  # queued: the reconciler sends it later
    jobs.queue.down = False
    jobs.clock.advance(minutes=6)
    assert jobs.reconcile().requeued == 1
    assert jobs.queue.sent == [job.id]


def test_a_job_runs_once_however_often_its_message_arrives(jobs: Jobs) -> None:
    job = jobs.start(ANALYST, "work", {"rows": 3}, INFO)
    jobs.clock.advance(seconds=5)
    ended = jobs.run(job.id)
    assert ended is not None
    assert ended.status is JobStatus.SUCCEEDED
    assert ended.report == {"ok": True}
    assert (ended.done, ended.total, ended.attempts) == (1, 1, 1)
    assert ended.started_at == T0.replace(second=5)
    assert jobs.run(job.id) is None  # the second delivery
    assert jobs.calls.runs == [{"rows": 3}]
    assert jobs.run("no-such-job") is None


def test_a_partial_result_is_recorded_as_partial(jobs: Jobs) -> None:
    jobs.calls.behaviour = lambda payload, progress: JobResult(
        report={"failed": ["b"]}, partial=True
    )
    job = jobs.start(ANALYST, "work", {}, INFO)
    ended = jobs.run(job.id)
    assert ended is not None
    assert ended.status is JobStatus.PARTIAL
    assert ended.report == {"failed": ["b"]}


def test_a_failed_result_fails_the_job_and_keeps_its_report(jobs: Jobs) -> None:
    jobs.calls.behaviour = lambda payload, progress: JobResult(
        report={"backups_invalid": 1}, failed="the newest backup is not valid"
    )
    job = jobs.start(ANALYST, "work", {}, INFO)
    ended = jobs.run(job.id)
    assert ended is not None
    assert ended.status is JobStatus.FAILED
    assert ended.report == {"backups_invalid": 1}
    assert ended.error == "the newest backup is not valid"


def _fails_with(error: BaseException):
    def behaviour(payload: Mapping[str, object], progress: Progress) -> JobResult:
        raise error

    return behaviour


def test_a_transient_failure_queues_the_job_again_until_the_attempts_run_out(
    jobs: Jobs,
) -> None:
    jobs.calls.behaviour = _fails_with(OperationalError("SELECT 1", {}, Exception("gone")))
    job = jobs.start(ANALYST, "work", {}, INFO)
    for attempt in (1, 2):
        with pytest.raises(RetryLater):
            jobs.run(job.id)
        stored = jobs.store.get(job.id)
        assert stored is not None
        assert (stored.status, stored.attempts) == (JobStatus.QUEUED, attempt)
    ended = jobs.run(job.id)  # the third and last attempt
    assert ended is not None
    assert ended.status is JobStatus.FAILED
    assert ended.error == "gave up after 3 attempts: OperationalError"
    assert len(jobs.calls.runs) == 3


def test_a_domain_error_fails_the_job_with_its_message(jobs: Jobs) -> None:
    jobs.calls.behaviour = _fails_with(NoMarketData("no cut for 15-1252 in 0041940"))
    job = jobs.start(ANALYST, "work", {}, INFO)
    ended = jobs.run(job.id)
    assert ended is not None
    assert ended.status is JobStatus.FAILED
    assert ended.error == "no cut for 15-1252 in 0041940"


def test_an_unexpected_error_fails_the_job_without_its_text_and_is_raised(jobs: Jobs) -> None:
    error = IntegrityError("INSERT", {}, Exception("salary 123456 duplicate"))
    jobs.calls.behaviour = _fails_with(error)
    job = jobs.start(ANALYST, "work", {}, INFO)
    with pytest.raises(IntegrityError):
        jobs.run(job.id)
    stored = jobs.store.get(job.id)
    assert stored is not None
    assert stored.status is JobStatus.FAILED
    assert stored.error == "unexpected error: IntegrityError"
    assert jobs.run(job.id) is None  # a later delivery finds it finished


def test_the_starter_and_log_readers_see_a_job_and_nobody_else(jobs: Jobs) -> None:
    job = jobs.start(ANALYST, "work", {}, INFO)
    assert jobs.get(ANALYST, job.id) == job
    assert jobs.get(ADMIN, job.id) == job
    with pytest.raises(NotFound) as hidden:
        jobs.get(OTHER, job.id)
    with pytest.raises(NotFound) as missing:
        jobs.get(OTHER, "no-such-job")
    assert hidden.value.message.replace(job.id, "ID") == missing.value.message.replace(
        "no-such-job", "ID"
    )


def test_only_log_readers_list_jobs(jobs: Jobs) -> None:
    first = jobs.start(ANALYST, "work", {}, INFO)
    jobs.clock.advance(seconds=1)
    second = jobs.start(OTHER, "work", {}, INFO)
    with pytest.raises(Forbidden):
        jobs.list(ANALYST, JobQuery())
    found, total = jobs.list(ADMIN, JobQuery())
    assert [j.id for j in found] == [second.id, first.id]
    assert total == 2


def test_a_scheduled_slot_starts_one_job_however_many_processes_ask(jobs: Jobs) -> None:
    slot = T0.replace(hour=2)
    first = jobs.start.scheduled("work", slot)
    assert first is not None
    assert first.id == "work@2026-01-01T02:00Z"
    assert first.started_by == SCHEDULER.actor
    assert jobs.start.scheduled("work", slot) is None
    assert jobs.queue.sent == [first.id]


def test_the_reconciler_resends_lost_messages_once_and_fails_dead_workers_jobs(
    jobs: Jobs,
) -> None:
    waiting = jobs.start(ANALYST, "work", {}, INFO)
    running = jobs.start(ANALYST, "work", {}, INFO)
    jobs.queue.sent.clear()
    assert jobs.reconcile().requeued == 0  # not waited long enough
    jobs.clock.advance(minutes=6)
    assert jobs.reconcile().requeued == 2
    assert jobs.reconcile().requeued == 0  # just sent again: not twice
    assert sorted(jobs.queue.sent) == sorted([waiting.id, running.id])
    # A worker claims `running` and dies: its heartbeat stops.
    stored = jobs.store.get(running.id)
    assert stored is not None
    assert jobs.store.replace(claimed(stored, jobs.clock.now()))
    jobs.clock.advance(minutes=9)
    assert jobs.reconcile().abandoned == 0
    jobs.clock.advance(minutes=2)
    assert jobs.reconcile().abandoned == 1
    failed = jobs.store.get(running.id)
    assert failed is not None
    assert failed.status is JobStatus.FAILED
    assert failed.error is not None
    assert "the worker stopped during the job" in failed.error
