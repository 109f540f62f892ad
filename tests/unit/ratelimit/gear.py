"""Test gear for the core's rate limiter: a counter store on the pure sliding-window log, and
a clock the test moves."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from pricing_core.errors import CounterStoreUnavailable
from pricing_core.ratelimit.model import Usage
from pricing_core.ratelimit.rules import admit
from tests.gear.clock import FakeClock

T0 = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)


class LogStore:
    """`rules.admit` per key, on the test's clock; `down` makes every hit fail."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.logs: dict[str, tuple[float, ...]] = {}
        self.hits: list[str] = []
        self.down = False
        self.on_degraded: list[Callable[[], None]] = []
        self.on_recovered: list[Callable[[], None]] = []

    @property
    def degraded(self) -> bool:
        return False

    def hit(self, key: str, limit: int, window: int) -> Usage:
        self.hits.append(key)
        if self.down:
            raise CounterStoreUnavailable("test store is down")
        now = self.clock.now().timestamp()
        usage, self.logs[key] = admit(self.logs.get(key, ()), now, limit, window)
        return usage
