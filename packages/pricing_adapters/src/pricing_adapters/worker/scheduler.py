"""The worker's clock: starts scheduled kinds on their cron slots and runs the reconciler.

Every worker process runs one. A slot's job has an id made of the kind and the slot
(`scheduled_id`), which the job store takes once: however many processes (or machines)
watch the schedule, one job starts per slot, with no lock server. A process that starts
shortly after a slot (a restart at 02:00:30) still starts that slot's job, unless
another did: slots up to LOOK_BACK ago count.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from datetime import datetime, timedelta

from croniter import croniter  # type: ignore[import-untyped]  # ships no type hints

from pricing_core.errors import PricingError
from pricing_core.jobs.reconcile import Reconcile
from pricing_core.jobs.service import StartJob
from pricing_core.ports import Clock

__all__ = ["LOOK_BACK", "Scheduler", "slots"]

log = logging.getLogger(__name__)
LOOK_BACK = timedelta(minutes=15)
TICK_SECONDS = 30.0


def slots(expression: str, after: datetime, until: datetime) -> list[datetime]:
    """The instants of `expression` (cron, UTC) in (after, until]."""
    found: list[datetime] = []
    times = croniter(expression, after)
    while (slot := times.get_next(datetime)) <= until:
        found.append(slot)
    return found


class Scheduler:
    def __init__(
        self,
        *,
        start: StartJob,
        reconcile: Reconcile,
        schedules: Mapping[str, str],
        clock: Clock,
    ) -> None:
        self._start = start
        self._reconcile = reconcile
        # Only kinds this process knows: a schedule for a kind not built in is skipped.
        self._schedules = {k: e for k, e in schedules.items() if e and k in start.kinds.kinds}
        self._clock = clock
        self._checked = clock.now() - LOOK_BACK
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def tick(self) -> list[str]:
        """Start what fell due since the last tick, then reconcile; the ids of jobs started."""
        now = self._clock.now()
        started: list[str] = []
        for kind, expression in self._schedules.items():
            for slot in slots(expression, self._checked, now):
                try:
                    job = self._start.scheduled(kind, slot)
                except PricingError:
                    log.exception("scheduled job %s at %s not started", kind, slot)
                    continue
                if job is not None:
                    started.append(job.id)
        self._checked = now
        try:
            self._reconcile()
        except Exception:  # the database may answer at the next tick
            log.warning("reconciling jobs failed", exc_info=True)
        return started

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="scheduler", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.tick()
            except Exception:
                log.exception("scheduler tick failed")
            self._stop.wait(TICK_SECONDS)
