"""The tests' one clock: timezone-aware UTC that the test moves, or that moves as it is read."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

__all__ = ["T0", "FakeClock"]

T0 = datetime(2026, 3, 2, 9, 0, 0, 250_000, tzinfo=UTC)


class FakeClock:
    """Stands at `instant` until `advance` moves it; with `step`, each reading first moves it
    by `step`, so every change has a time of its own. `answers` keeps what `now` said."""

    def __init__(self, instant: datetime = T0, *, step: timedelta = timedelta(0)) -> None:
        if instant.tzinfo is None:
            raise ValueError("FakeClock needs a timezone-aware instant")
        self.instant = instant
        self.step = step
        self.answers: list[datetime] = []

    def now(self) -> datetime:
        self.instant += self.step
        self.answers.append(self.instant)
        return self.instant

    def today(self) -> date:
        return self.instant.date()

    def advance(self, seconds: float = 0.0, **delta: float) -> None:
        """Move by `seconds` and any `timedelta` keywords (`minutes=5`, `days=1`)."""
        self.instant += timedelta(seconds=seconds, **delta)
