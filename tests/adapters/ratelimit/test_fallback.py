"""FallbackCounterStore: Redis while it answers, this process's memory while it does not;
logs, flags and hooks for each change; shared limits again once Redis is back."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import pytest

from pricing_adapters.ratelimit_store import (
    FallbackCounterStore,
    memory_counter_store,
    redis_counter_store,
)
from pricing_core.errors import CounterStoreUnavailable
from pricing_core.ratelimit.model import Usage
from tests.gear.private_redis import PrivateRedis
from tests.gear.redis_keys import DEAD_REDIS_URL

LOGGER = "pricing_adapters.redis"


class Switch:
    """A primary store that is down while `down` is set, else answers allowed."""

    def __init__(self) -> None:
        self.down = True
        self.calls = 0
        self.on_degraded: list[Callable[[], None]] = []
        self.on_recovered: list[Callable[[], None]] = []

    @property
    def degraded(self) -> bool:
        return False

    def hit(self, key: str, limit: int, window: int) -> Usage:
        self.calls += 1
        if self.down:
            raise CounterStoreUnavailable("switched off")
        return Usage(allowed=True, remaining=limit - 1, reset_in=window)


class Ticks:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def watched(store: FallbackCounterStore) -> list[str]:
    events: list[str] = []
    store.on_degraded.append(lambda: events.append("degraded"))
    store.on_recovered.append(lambda: events.append("recovered"))
    return events


def test_a_dead_redis_engages_the_fallback_once_with_the_same_limits(
    caplog: pytest.LogCaptureFixture,
) -> None:
    store = FallbackCounterStore(redis_counter_store(DEAD_REDIS_URL), memory_counter_store())
    events = watched(store)
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        answers = [store.hit("ip:10.0.0.1", 3, 60) for _ in range(5)]
    assert [u.allowed for u in answers] == [True, True, True, False, False]
    assert all(u.degraded for u in answers)
    assert store.degraded
    assert store.degradations == 1
    assert events == ["degraded"]
    warnings = [r for r in caplog.records if r.name == LOGGER]
    assert len(warnings) == 1
    assert "degraded" in warnings[0].getMessage()
    assert "ConnectionError" in warnings[0].getMessage()


def test_redis_is_probed_once_per_back_off_and_recovery_is_told(
    caplog: pytest.LogCaptureFixture,
) -> None:
    primary, ticks = Switch(), Ticks()
    store = FallbackCounterStore(primary, memory_counter_store(), retry_after=5, monotonic=ticks)
    events = watched(store)
    store.hit("k", 10, 60)
    assert (primary.calls, store.degraded) == (1, True)
    for _ in range(20):
        store.hit("k", 10, 60)
    assert primary.calls == 1  # within the back-off nobody waits on a dead Redis
    ticks.now += 5
    store.hit("k", 10, 60)
    store.hit("k", 10, 60)
    assert primary.calls == 2  # one probe, still down: the next waits another back-off
    primary.down = False
    ticks.now += 5
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        usage = store.hit("k", 10, 60)
    assert not usage.degraded
    assert not store.degraded
    assert events == ["degraded", "recovered"]
    assert any("recovered" in r.getMessage() for r in caplog.records if r.name == LOGGER)
    store.hit("k", 10, 60)
    assert primary.calls == 4  # back on the primary for every hit


def test_a_failing_hook_does_not_break_limiting(caplog: pytest.LogCaptureFixture) -> None:
    store = FallbackCounterStore(Switch(), memory_counter_store())

    def broken() -> None:
        raise RuntimeError("metrics exporter down")

    store.on_degraded.append(broken)
    with caplog.at_level(logging.ERROR, logger=LOGGER):
        assert store.hit("k", 1, 60).allowed
    assert any("hook" in r.getMessage() for r in caplog.records)


def test_stopping_and_restarting_a_private_redis(private_redis: PrivateRedis) -> None:
    """Two stores stand for two API processes. Shared counts; each counts alone while the
    server is down; shared again when it is back."""
    a, b = (
        FallbackCounterStore(
            redis_counter_store(private_redis.url), memory_counter_store(), retry_after=0.2
        )
        for _ in range(2)
    )
    events = watched(a)
    assert [a.hit("u", 4, 60).allowed, b.hit("u", 4, 60).allowed] == [True, True]
    assert [a.hit("u", 4, 60).allowed, b.hit("u", 4, 60).allowed] == [True, True]
    assert not a.hit("u", 4, 60).allowed  # 4 used between the two
    assert not a.degraded

    private_redis.stop()
    alone_a = [a.hit("v", 4, 60).allowed for _ in range(5)]
    alone_b = [b.hit("v", 4, 60).allowed for _ in range(5)]
    assert alone_a == alone_b == [True] * 4 + [False]  # each process: the same policy, alone
    assert a.degraded
    assert b.degraded
    assert events == ["degraded"]

    private_redis.start()
    time.sleep(0.3)
    assert a.hit("w", 4, 60).allowed
    assert not a.degraded
    assert events == ["degraded", "recovered"]
    time.sleep(0.3)
    assert b.hit("w", 4, 60).allowed
    assert not b.degraded
    assert a.hit("w", 4, 60).allowed
    assert b.hit("w", 4, 60).allowed
    assert not a.hit("w", 4, 60).allowed
    assert not b.hit("w", 4, 60).allowed
