"""Ports shared by every area of the domain."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import date, datetime
from typing import Protocol

__all__ = ["Clock", "Metrics", "UnitOfWork"]


class Clock(Protocol):
    """The only way the domain learns the time: timezone-aware UTC."""

    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        ...

    def today(self) -> date:
        """Today's date in UTC."""
        ...


class Metrics(Protocol):
    """What the use cases report for operations (Prometheus behind it); calls never raise.

    Label values must come from small fixed sets (a confidence label, an outcome, a job
    name): every distinct value is a time series kept forever.
    """

    def quote(self, confidence: str) -> None:
        """A price was quoted, with its confidence label (`high`, `medium`, `low`)."""
        ...

    def rate_limit(self, outcome: str) -> None:
        """A rate-limit decision: `allowed`, `limited`, or `unavailable` (refused because the
        counter store did not answer)."""
        ...

    def limiter_degraded(self, degraded: bool) -> None:
        """The shared counter store stopped answering (True) or answers again (False)."""
        ...

    def login_failed(self) -> None:
        """A login was refused. The API's HTTP layer already reports each 401 or 429 answer
        to POST /api/v1/auth/login: a use case calling it too would count twice."""
        ...

    def task(self, name: str, status: str, seconds: float) -> None:
        """A background job `name` finished with `status` (`succeeded`, `failed`, `retried`)."""
        ...

    def backup_verified(self, ok: bool, at: datetime) -> None:
        """A backup check finished at `at`: `ok` when the backup passed every check."""
        ...

    def backup_figures(
        self, invalid: int, restore_ok: bool | None, restore_seconds: float | None
    ) -> None:
        """What the last backup check found: how many files are invalid, and the restore
        test's result and duration (None when none was run)."""
        ...


class UnitOfWork(Protocol):
    """Changes that stand or fall together: a change and the audit row that records it.

    Inside `with uow.transaction():` every store wired to this unit of work writes in one
    transaction: all of it is kept when the block ends, none of it when the block raises. A
    transaction opened inside another joins it (the outer block decides). Reads and writes
    outside a block take short transactions of their own, as before.
    """

    def transaction(self) -> AbstractContextManager[None]: ...
