"""The probe: a job that does nothing but take its time, to check that jobs run end to end."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import attrs

from pricing_core.access.roles import Permission
from pricing_core.errors import InvalidRequest
from pricing_core.jobs.kinds import JobKind, JobResult
from pricing_core.jobs.ports import Progress

__all__ = ["MAX_SECONDS", "PROBE", "Probe", "probe_kind"]

PROBE = "probe"
MAX_SECONDS = 600


def _check(payload: Mapping[str, object]) -> Mapping[str, object]:
    for name in payload:
        if name != "seconds":
            raise InvalidRequest(f"payload.{name}", "this job takes no such field")
    seconds = payload.get("seconds", 0)
    if type(seconds) is not int or not 0 <= seconds <= MAX_SECONDS:
        raise InvalidRequest("payload.seconds", f"must be a whole number from 0 to {MAX_SECONDS}")
    return {"seconds": seconds}


@attrs.frozen(kw_only=True)
class Probe:
    """Waits `seconds`, one second at a time, reporting each; its report says how long."""

    pause: Callable[[float], None]

    def __call__(self, payload: Mapping[str, object], progress: Progress) -> JobResult:
        seconds = _check(payload)["seconds"]
        assert isinstance(seconds, int)
        progress(0, seconds)
        for done in range(1, seconds + 1):
            self.pause(1.0)
            progress(done, seconds)
        return JobResult(report={"seconds": seconds})


def probe_kind(probe: Probe) -> JobKind:
    return JobKind(
        name=PROBE,
        permission=Permission.VIEW_SYSTEM_LOGS,
        run=probe,
        check=_check,
        description="Wait `seconds` (0 to 600) and succeed: shows that workers run jobs.",
    )
