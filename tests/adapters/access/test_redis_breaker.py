"""The one Redis circuit breaker a process shares (issue 11, item 8): it opens after N
failures in a row, lets one caller probe per back-off while open, and closes on the first
answer; the Redis adapters consult it before calling Redis."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine

from pricing_adapters.redis_breaker import RedisBreaker
from pricing_adapters.redis_failures import RedisFailureCounter
from pricing_adapters.redis_revocations import RedisCachedRevocationStore
from pricing_adapters.sql.sessions import SqlRevocationStore
from pricing_core.errors import CounterStoreUnavailable
from tests.adapters.access.test_redis import now
from tests.gear.redis_keys import DEAD_REDIS_URL, redis_client


class Ticks:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_opens_after_n_failures_in_a_row_and_a_success_resets_the_count() -> None:
    breaker = RedisBreaker(failures_to_open=3, retry_after=5, monotonic=Ticks())
    events: list[str] = []
    breaker.on_opened.append(lambda: events.append("opened"))
    breaker.on_closed.append(lambda: events.append("closed"))
    breaker.failed("TimeoutError")
    breaker.failed("TimeoutError")
    breaker.succeeded()  # not in a row: counting starts again
    breaker.failed("TimeoutError")
    breaker.failed("TimeoutError")
    assert not breaker.open
    assert breaker.allow()
    breaker.failed("TimeoutError")
    assert breaker.open
    assert (events, breaker.openings) == (["opened"], 1)


def test_while_open_one_caller_probes_per_back_off_and_an_answer_closes_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    ticks = Ticks()
    breaker = RedisBreaker(retry_after=5, monotonic=ticks)
    with caplog.at_level(logging.WARNING, logger="pricing_adapters.redis"):
        breaker.failed("TimeoutError")
    assert breaker.open
    assert [breaker.allow() for _ in range(10)] == [False] * 10
    ticks.now += 5
    assert [breaker.allow() for _ in range(3)] == [True, False, False]  # one probe
    breaker.failed("TimeoutError")  # still hung: another back-off
    ticks.now += 4.9
    assert not breaker.allow()
    ticks.now += 0.1
    assert breaker.allow()
    with caplog.at_level(logging.WARNING, logger="pricing_adapters.redis"):
        breaker.succeeded()
    assert not breaker.open
    assert all(breaker.allow() for _ in range(3))
    said = [r.getMessage() for r in caplog.records if r.name == "pricing_adapters.redis"]
    assert len(said) == 2
    assert "TimeoutError" in said[0]
    assert "again" in said[1]


def test_adapters_sharing_a_breaker_stop_calling_redis_once_one_of_them_failed(
    migrated: Engine, redis_prefix: str
) -> None:
    """The failure counter met a dead Redis: the revocation cache then goes straight to
    SQL and the counter refuses at once, without a client call (a client that would raise
    something else if called shows it)."""
    breaker = RedisBreaker(retry_after=3600)
    dead = redis_client(DEAD_REDIS_URL)
    counter = RedisFailureCounter(dead, window=timedelta(minutes=15), breaker=breaker)
    with pytest.raises(CounterStoreUnavailable):
        counter.failures("k", now())
    assert breaker.open

    class Untouchable:
        def __getattr__(self, name: str) -> Any:
            raise AssertionError(f"Redis was called ({name}) while the breaker was open")

    sql = SqlRevocationStore(migrated)
    store = RedisCachedRevocationStore(sql, Untouchable(), prefix=redis_prefix, breaker=breaker)  # type: ignore[arg-type]
    store.revoke("jti-1", now() + timedelta(minutes=15))
    assert sql.is_revoked("jti-1", now())
    assert store.is_revoked("jti-1", now()) is True
    assert store.is_revoked("jti-2", now()) is False
    assert store.refill(now()) is False
    quiet = RedisFailureCounter(Untouchable(), breaker=breaker)  # type: ignore[arg-type]
    with pytest.raises(CounterStoreUnavailable, match="breaker open"):
        quiet.add_failure("k", now())
    dead.close()
