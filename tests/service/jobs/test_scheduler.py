"""The worker's scheduler: cron slots, once across processes, and a restart just after a slot.

Two schedulers stand for two worker processes sharing one job store: a slot starts one job
whichever ticks first; a scheduler started a few minutes after a slot still starts that
slot's job if nobody did, and only then; a schedule for a kind this build lacks is skipped.
"""

from __future__ import annotations

from datetime import UTC, datetime

from pricing_adapters.worker.scheduler import Scheduler, slots
from pricing_core.jobs.model import JobQuery
from tests.service.jobs.conftest import Jobs

DAILY_2AM = "0 2 * * *"


def _scheduler(jobs: Jobs, **schedules: str) -> Scheduler:
    return Scheduler(
        start=jobs.start, reconcile=jobs.reconcile, schedules=schedules, clock=jobs.clock
    )


def test_slots_are_the_cron_instants_after_one_time_up_to_another() -> None:
    after = datetime(2026, 1, 1, 1, 0, tzinfo=UTC)
    until = datetime(2026, 1, 3, 2, 0, tzinfo=UTC)
    assert slots(DAILY_2AM, after, until) == [
        datetime(2026, 1, 1, 2, 0, tzinfo=UTC),
        datetime(2026, 1, 2, 2, 0, tzinfo=UTC),
        datetime(2026, 1, 3, 2, 0, tzinfo=UTC),
    ]
    assert slots(DAILY_2AM, until, until) == []


def test_a_slot_starts_one_job_across_processes(jobs: Jobs) -> None:
    jobs.clock.current = datetime(2026, 1, 1, 1, 59, tzinfo=UTC)
    first, second = _scheduler(jobs, work=DAILY_2AM), _scheduler(jobs, work=DAILY_2AM)
    assert first.tick() == []
    assert second.tick() == []
    jobs.clock.advance(minutes=1, seconds=30)
    started = first.tick() + second.tick()
    assert started == ["work@2026-01-01T02:00Z"]
    assert jobs.queue.sent == started
    assert first.tick() + second.tick() == []
    assert jobs.store.query(JobQuery())[1] == 1


def test_a_restart_just_after_a_slot_starts_it_unless_another_process_did(jobs: Jobs) -> None:
    jobs.clock.current = datetime(2026, 1, 1, 2, 5, tzinfo=UTC)
    assert _scheduler(jobs, work=DAILY_2AM).tick() == ["work@2026-01-01T02:00Z"]
    assert _scheduler(jobs, work=DAILY_2AM).tick() == []  # the next restart: already started
    jobs.clock.current = datetime(2026, 1, 2, 3, 0, tzinfo=UTC)  # an hour late: missed
    assert _scheduler(jobs, work=DAILY_2AM).tick() == []


def test_a_schedule_of_a_kind_this_build_lacks_or_switched_off_is_skipped(jobs: Jobs) -> None:
    jobs.clock.current = datetime(2026, 1, 1, 2, 5, tzinfo=UTC)
    scheduler = _scheduler(jobs, **{"market.refresh": DAILY_2AM, "work": ""})
    assert scheduler.tick() == []
    assert jobs.queue.sent == []


def test_each_tick_reconciles(jobs: Jobs) -> None:
    jobs.queue.down = True
    jobs.start.scheduled("work", datetime(2026, 1, 1, 0, 0, tzinfo=UTC))
    jobs.queue.down = False
    scheduler = _scheduler(jobs)
    jobs.clock.advance(minutes=6)
    scheduler.tick()
    assert jobs.queue.sent == ["work@2026-01-01T00:00Z"]
