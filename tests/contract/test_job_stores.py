"""The JobStore contract on memory, SQLite and PostgreSQL.

A job comes back exactly as stored (payload and report JSON, microseconds, UTC); a change
is written only over the revision it was made from, so of two claims of one queued job
exactly one wins, even from many threads at once; lists are newest first with their total.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from pricing_core.jobs.model import Job, JobQuery, JobStatus, claimed, finished, progressed
from pricing_core.jobs.ports import JobStore

T0 = datetime(2026, 1, 1, 12, 30, 15, 123456, tzinfo=UTC)


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def store(request: pytest.FixtureRequest) -> Iterator[JobStore]:
    if request.param == "memory":
        from pricing_adapters.jobs_memory import InMemoryJobStore

        yield InMemoryJobStore()
        return
    from pricing_adapters.sql.engine import make_engine
    from pricing_adapters.sql.jobs import SqlJobStore
    from pricing_adapters.sql.migrate import upgrade

    engine = make_engine(request.getfixturevalue(f"{request.param}_url"))
    upgrade(engine)
    yield SqlJobStore(engine)
    engine.dispose()


def queued(job_id: str = "j1", *, at: datetime = T0, kind: str = "probe", by: str = "u1") -> Job:
    return Job(
        id=job_id,
        kind=kind,
        status=JobStatus.QUEUED,
        payload={"seconds": 3, "name": "ünïcode ✓", "nested": {"a": [1, 2.5, None, True]}},
        started_by=by,
        request_id="req-1",
        created_at=at,
        enqueued_at=at,
    )


def test_a_job_comes_back_exactly_as_stored(store: JobStore) -> None:
    job = queued()
    assert store.add(job) is True
    assert store.get("j1") == job
    assert store.get("nope") is None


def test_an_id_is_taken_once(store: JobStore) -> None:
    assert store.add(queued()) is True
    assert store.add(queued(kind="other")) is False
    assert store.get("j1") == queued()


def test_a_finished_job_keeps_its_report_progress_and_times(store: JobStore) -> None:
    store.add(queued())
    running = claimed(queued(), T0 + timedelta(seconds=1))
    assert store.replace(running)
    step = progressed(running, 2, 3, T0 + timedelta(seconds=2))
    assert store.replace(step)
    done = finished(
        step,
        JobStatus.PARTIAL,
        T0 + timedelta(seconds=3),
        report={"sources": [{"source": "a", "status": "failed"}]},
        error=None,
    )
    assert store.replace(done)
    assert store.get("j1") == done
    assert done.report == {"sources": [{"source": "a", "status": "failed"}]}


def test_a_change_is_written_only_over_the_revision_it_was_made_from(store: JobStore) -> None:
    store.add(queued())
    first = claimed(queued(), T0)
    second = claimed(queued(), T0 + timedelta(seconds=1))
    assert store.replace(first) is True
    assert store.replace(second) is False  # made from revision 1, which is gone
    assert store.get("j1") == first
    assert store.replace(claimed(queued("missing"), T0)) is False


def test_of_many_concurrent_claims_exactly_one_wins(store: JobStore) -> None:
    store.add(queued())
    wins: list[bool] = []
    barrier = threading.Barrier(8)

    def claim(n: int) -> None:
        barrier.wait()
        wins.append(store.replace(claimed(queued(), T0 + timedelta(seconds=n))))

    threads = [threading.Thread(target=claim, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(wins) == [False] * 7 + [True]
    stored = store.get("j1")
    assert stored is not None
    assert stored.status is JobStatus.RUNNING
    assert stored.attempts == 1


def test_a_heartbeat_refreshes_only_the_running_attempt(store: JobStore) -> None:
    store.add(queued())
    assert store.beat("j1", 1, T0) is False  # queued: nothing runs it
    running = claimed(queued(), T0)
    store.replace(running)
    later = T0 + timedelta(minutes=1)
    assert store.beat("j1", 2, later) is False  # another attempt's worker
    assert store.beat("j1", 1, later) is True
    stored = store.get("j1")
    assert stored is not None
    assert stored.heartbeat_at == later
    assert stored.revision == running.revision  # not a change that could lose a claim


def test_jobs_list_newest_first_with_filters_and_total(store: JobStore) -> None:
    for n in range(5):
        kind = "probe" if n % 2 == 0 else "housekeeping"
        store.add(queued(f"j{n}", at=T0 + timedelta(minutes=n), kind=kind, by=f"u{n % 2}"))
    store.replace(claimed(queued("j4", at=T0 + timedelta(minutes=4), by="u0"), T0))
    page, total = store.query(JobQuery(limit=2))
    assert [j.id for j in page] == ["j4", "j3"]
    assert total == 5
    page, total = store.query(JobQuery(limit=2, offset=2))
    assert [j.id for j in page] == ["j2", "j1"]
    assert total == 5
    page, total = store.query(JobQuery(kind="probe"))
    assert [j.id for j in page] == ["j4", "j2", "j0"]
    assert total == 3
    page, total = store.query(JobQuery(status=JobStatus.QUEUED, kind="probe"))
    assert [j.id for j in page] == ["j2", "j0"]
    assert total == 2
    page, total = store.query(JobQuery(started_by="u1"))
    assert [j.id for j in page] == ["j3", "j1"]
    assert total == 2


def test_waiting_finds_queued_jobs_sent_long_ago_and_silent_running_ones(
    store: JobStore,
) -> None:
    for n in range(3):
        store.add(queued(f"q{n}", at=T0 + timedelta(minutes=n)))
    running = claimed(queued("q2", at=T0 + timedelta(minutes=2)), T0 + timedelta(minutes=3))
    store.replace(running)
    cutoff = T0 + timedelta(minutes=1, seconds=30)
    assert [j.id for j in store.waiting(JobStatus.QUEUED, cutoff, 10)] == ["q0", "q1"]
    assert [j.id for j in store.waiting(JobStatus.QUEUED, cutoff, 1)] == ["q0"]
    assert store.waiting(JobStatus.RUNNING, T0 + timedelta(minutes=3), 10) == []
    assert [j.id for j in store.waiting(JobStatus.RUNNING, T0 + timedelta(minutes=4), 10)] == ["q2"]
