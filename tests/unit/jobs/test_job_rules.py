"""The job status rules, for any sequence of attempted changes (hypothesis).

A finished job never changes again; each change raises the revision by one; a job is
running only between a claim and its end; attempts count claims; the times are those of
the changes that set them. A change not allowed from the current status is refused
(Conflict) and changes nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pricing_core.errors import Conflict, InvalidRequest
from pricing_core.jobs.model import (
    FINISHED,
    Job,
    JobStatus,
    abandoned,
    claimed,
    finished,
    progressed,
    released,
    requeued,
)

T0 = datetime(2026, 1, 1, tzinfo=UTC)
STEPS = ["claim", "progress", "succeed", "partial", "fail", "release", "requeue", "abandon"]


def apply(job: Job, step: str, now: datetime) -> Job:
    if step == "claim":
        return claimed(job, now)
    if step == "progress":
        return progressed(job, 1, 2, now)
    if step == "succeed":
        return finished(job, JobStatus.SUCCEEDED, now, report={"ok": True})
    if step == "partial":
        return finished(job, JobStatus.PARTIAL, now, report={"failed": 1})
    if step == "fail":
        return finished(job, JobStatus.FAILED, now, error="boom")
    if step == "release":
        return released(job, now)
    if step == "requeue":
        return requeued(job, now)
    return abandoned(job, now, "worker died")


def new_job() -> Job:
    return Job(
        id="j",
        kind="probe",
        status=JobStatus.QUEUED,
        started_by="u",
        created_at=T0,
        enqueued_at=T0,
    )


@given(st.lists(st.sampled_from(STEPS), max_size=30))
def test_any_sequence_of_changes_keeps_the_rules(steps: list[str]) -> None:
    job = new_job()
    claims = 0
    for n, step in enumerate(steps, start=1):
        now = T0 + timedelta(minutes=n)
        try:
            changed = apply(job, step, now)
        except Conflict:
            # Claims and re-sends are of queued jobs; everything else is of running ones.
            allowed = JobStatus.QUEUED if step in {"claim", "requeue"} else JobStatus.RUNNING
            assert job.status is not allowed
            continue
        assert not job.finished  # nothing changes a finished job
        assert changed.revision == job.revision + 1
        if step == "claim":
            claims += 1
            assert (changed.status, changed.started_at, changed.heartbeat_at) == (
                JobStatus.RUNNING,
                now,
                now,
            )
        if changed.status in FINISHED:
            assert changed.finished_at == now
        if step in {"release", "requeue"}:
            assert (changed.status, changed.enqueued_at) == (JobStatus.QUEUED, now)
        assert changed.attempts == claims
        job = changed


def test_progress_must_lie_between_zero_and_the_total() -> None:
    running = claimed(new_job(), T0)
    assert progressed(running, 3, 3, T0).done == 3
    assert progressed(running, 7, None, T0).total is None
    for done, total in ((4, 3), (-1, None), (-1, 3)):
        with pytest.raises(InvalidRequest):
            progressed(running, done, total, T0)


def test_a_naive_time_is_refused_by_name() -> None:
    with pytest.raises(InvalidRequest) as raised:
        Job(
            id="j",
            kind="k",
            status="queued",
            started_by="u",
            created_at=datetime(2026, 1, 1),  # noqa: DTZ001 - the point of the test
            enqueued_at=T0,
        )
    assert raised.value.field == "created_at"
