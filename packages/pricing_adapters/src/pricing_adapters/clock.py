"""The system clock: the one place that asks the operating system for the time."""

from __future__ import annotations

from datetime import UTC, date, datetime

from pricing_core.ports import Clock

__all__ = ["FixedClock", "SystemClock"]


class SystemClock(Clock):
    """Timezone-aware UTC from the operating system."""

    def now(self) -> datetime:
        return datetime.now(UTC)  # noqa: TID251 - the clock adapter is the exception

    def today(self) -> date:
        return self.now().date()


class FixedClock(Clock):
    """A clock that always answers the same instant (reproducible runs and tests)."""

    def __init__(self, instant: datetime) -> None:
        if instant.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware instant")
        self._instant = instant.astimezone(UTC)

    def now(self) -> datetime:
        return self._instant

    def today(self) -> date:
        return self._instant.date()
