"""The `limits` moving window as a CounterStore, on memory and on the real Redis: exact under
threads and processes, sliding, and CounterStoreUnavailable when Redis does not answer."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import redis

from pricing_adapters.clock import SystemClock
from pricing_adapters.ratelimit_store import (
    LimitsCounterStore,
    memory_counter_store,
    redis_counter_store,
)
from pricing_core.errors import CounterStoreUnavailable
from pricing_core.ratelimit.model import Caller
from pricing_core.ratelimit.policy import RateLimitPolicy
from pricing_core.ratelimit.service import RateLimiter
from tests.gear.redis_keys import DEAD_REDIS_URL

StoreFactory = Callable[[], LimitsCounterStore]


@pytest.fixture(params=["memory", "redis"])
def make_store(request: pytest.FixtureRequest) -> StoreFactory:
    """Each kind in turn; for Redis every call is a new client (another process, in effect)
    on the same prefix, while memory stores are one store (a process has one)."""
    if request.param == "memory":
        store = memory_counter_store()
        return lambda: store
    url: str = request.getfixturevalue("redis_url")
    prefix: str = request.getfixturevalue("prefix")
    return lambda: redis_counter_store(url, prefix=prefix)


def test_exactly_the_limit_passes_and_remaining_counts_down(make_store: StoreFactory) -> None:
    store = make_store()
    answers = [store.hit("user:a", 5, 60) for _ in range(7)]
    assert [u.allowed for u in answers] == [True] * 5 + [False] * 2
    assert [u.remaining for u in answers] == [4, 3, 2, 1, 0, 0, 0]
    assert all(58 < u.reset_in <= 60 for u in answers)
    assert not store.degraded
    # Another key, and the same key under another limit, count apart.
    assert store.hit("user:b", 5, 60).remaining == 4


def test_the_window_slides(make_store: StoreFactory) -> None:
    store = make_store()
    assert store.hit("k", 2, 1).allowed
    time.sleep(0.5)
    assert store.hit("k", 2, 1).allowed
    assert not store.hit("k", 2, 1).allowed
    time.sleep(0.6)  # the first hit has left the window, the second has not
    assert store.hit("k", 2, 1).allowed
    assert not store.hit("k", 2, 1).allowed


def test_eight_threads_let_exactly_the_limit_through(make_store: StoreFactory) -> None:
    stores = [make_store() for _ in range(8)]  # on Redis: eight clients, one key

    def hammer_one(i: int) -> int:
        return sum(stores[i].hit("user:hot", 10, 60).allowed for _ in range(25))

    with ThreadPoolExecutor(8) as pool:
        allowed = sum(pool.map(hammer_one, range(8)))
    assert allowed == 10


def test_four_processes_of_eight_threads_share_one_redis_count(redis_url: str, prefix: str) -> None:
    """Checklist 21 at the limiter: 4 processes × 8 threads × 5 checks, limit 10 per minute."""
    user = uuid.uuid4().hex
    script = Path(__file__).with_name("hammer.py")
    command = [sys.executable, str(script), redis_url, prefix, user]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE) for _ in range(4)]
    results = [json.loads(run.communicate(timeout=120)[0]) for run in runs]
    assert all(run.returncode == 0 for run in runs)
    flat = [ok for result in results for ok in result]
    assert len(flat) == 160
    assert flat.count(True) == 10
    assert flat.count(False) == 150


def test_keys_carry_the_prefix_and_no_email(redis_url: str, prefix: str) -> None:
    limiter = RateLimiter(
        policy=RateLimitPolicy(),
        store=redis_counter_store(redis_url, prefix=prefix),
        clock=SystemClock(),
    )
    limiter.check(Caller(ip="10.0.0.7", path="/api/v1/auth/login", account="email:ann@x.io"))
    client = redis.Redis.from_url(redis_url)
    keys = [k.decode() for k in client.scan_iter(match=f"{prefix}*")]
    client.close()
    assert len(keys) == 3  # perip, auth-ip, auth-account
    assert all(k.startswith(prefix + ":") for k in keys)
    assert not any("ann" in k for k in keys)


def test_a_dead_redis_raises_counter_store_unavailable_fast() -> None:
    store = redis_counter_store(DEAD_REDIS_URL)
    started = time.monotonic()
    with pytest.raises(CounterStoreUnavailable, match="ConnectionError"):
        store.hit("k", 1, 60)
    assert time.monotonic() - started < 1.5
