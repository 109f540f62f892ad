"""Housekeeping: delete what has outlived its use (expired sessions, stale upload files)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

import attrs

from pricing_core.access.roles import Permission
from pricing_core.jobs.kinds import JobKind, JobResult
from pricing_core.jobs.ports import Progress
from pricing_core.ports import Clock

__all__ = ["HOUSEKEEPING", "Housekeep", "Sweep", "housekeeping_kind"]

HOUSEKEEPING = "housekeeping"

# Deletes what is past its use at `now`; answers how many items went.
Sweep = Callable[[datetime], int]


@attrs.frozen(kw_only=True)
class Housekeep:
    """Runs every sweep in turn; the report counts what each removed."""

    sweeps: Mapping[str, Sweep]
    clock: Clock

    def __call__(self, payload: Mapping[str, object], progress: Progress) -> JobResult:
        now = self.clock.now()
        removed: dict[str, object] = {}
        progress(0, len(self.sweeps))
        for done, (name, sweep) in enumerate(self.sweeps.items(), start=1):
            removed[name] = sweep(now)
            progress(done, len(self.sweeps))
        return JobResult(report={"removed": removed})


def housekeeping_kind(housekeep: Housekeep) -> JobKind:
    return JobKind(
        name=HOUSEKEEPING,
        permission=Permission.MANAGE_SETTINGS,
        run=housekeep,
        schedulable=True,
        description="Purge expired refresh tokens and revocations; delete stale upload files.",
    )
