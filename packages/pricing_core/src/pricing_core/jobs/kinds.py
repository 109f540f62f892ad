"""Job kinds: a name, who may start it, and the use case that runs it from a JSON payload."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import attrs

from pricing_core.access.roles import Permission
from pricing_core.errors import InvalidRequest, PricingError
from pricing_core.jobs.ports import Progress

__all__ = ["JobKind", "JobKinds", "JobLost", "JobResult", "no_payload"]

Payload = Mapping[str, object]


class JobLost(PricingError):
    """The job was taken from its runner (failed by the reconciler): stop working on it."""

    code = "job_lost"


@attrs.frozen(kw_only=True)
class JobResult:
    """What a kind's run answers: its JSON report, and whether some of its items failed.

    `failed`: why the run failed though it has a report worth keeping (a verification that
    proves nothing); the job ends failed with that error and the report.
    """

    report: Mapping[str, object] = attrs.field(factory=dict)
    partial: bool = False
    failed: str | None = None


def no_payload(payload: Payload) -> Payload:
    """The check of a kind that takes nothing: any field is refused, by name."""
    for name in payload:
        raise InvalidRequest(f"payload.{name}", "this job takes no such field")
    return {}


@attrs.frozen(kw_only=True)
class JobKind:
    """`run(payload, progress)` does the work; it is called with the payload `check`
    returned when the job was started, and may be called again for the same job after a
    transient failure, so it must be safe to repeat.

    `schedulable`: the worker's scheduler may start it (as the system, without a payload).
    """

    name: str
    permission: Permission
    run: Callable[[Payload, Progress], JobResult]
    check: Callable[[Payload], Payload] = no_payload
    schedulable: bool = False
    description: str = ""


@attrs.frozen
class JobKinds:
    """The kinds a process knows, by name; the API and the worker are built with the same."""

    kinds: Mapping[str, JobKind] = attrs.field(factory=dict)

    @classmethod
    def of(cls, kinds: Iterable[JobKind]) -> JobKinds:
        return cls({kind.name: kind for kind in kinds})

    def get(self, name: str) -> JobKind:
        found = self.kinds.get(name)
        if found is None:
            known = ", ".join(sorted(self.kinds)) or "none"
            raise InvalidRequest("kind", f"unknown job kind (known: {known})", name)
        return found

    def names(self) -> list[str]:
        return sorted(self.kinds)
