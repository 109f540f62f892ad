"""Redis adapters on a real Redis: the revocation cache in front of SQL (checklist 16: it
falls back to SQL and fails closed when both are down) and the login failure counter."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, delete

from pricing_adapters.clock import SystemClock
from pricing_adapters.redis_failures import RedisFailureCounter
from pricing_adapters.redis_revocations import RedisCachedRevocationStore
from pricing_adapters.sql.access import REVOCATION_MARGIN, SqlRevocationStore
from pricing_adapters.sql.tables import revoked_tokens
from pricing_core.errors import CounterStoreUnavailable, RevocationUnavailable
from tests.gear.redis_keys import DEAD_REDIS_URL, redis_client

DEAD_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:1/test?connect_timeout=2"


def now() -> datetime:
    """Real time: Redis expires keys by its own clock."""
    return SystemClock().now()


@pytest.fixture
def dead_redis() -> Iterator[Any]:
    client = redis_client(DEAD_REDIS_URL)
    yield client
    client.close()


@pytest.fixture
def dead_sql() -> Iterator[SqlRevocationStore]:
    engine = create_engine(DEAD_POSTGRES)
    yield SqlRevocationStore(engine)
    engine.dispose()


def cached(engine: Engine, client: Any, prefix: str, **options: Any) -> RedisCachedRevocationStore:
    return RedisCachedRevocationStore(SqlRevocationStore(engine), client, prefix=prefix, **options)


# The revocation cache


def test_revoke_writes_sql_and_a_redis_key_that_expires_with_the_token(
    migrated: Engine, redis_conn: Any, redis_prefix: str
) -> None:
    store = cached(migrated, redis_conn, redis_prefix)
    until = now() + timedelta(minutes=15)
    store.revoke("jti-1", until)
    assert SqlRevocationStore(migrated).is_revoked("jti-1", now()) is True
    ttl = redis_conn.pttl(f"{redis_prefix}jti:jti-1") / 1000
    expected = (until + REVOCATION_MARGIN - now()).total_seconds()
    assert expected - 5 < ttl <= expected + 1
    assert store.is_revoked("jti-1", now()) is True
    assert store.is_revoked("jti-2", now()) is False


def test_a_cached_revocation_is_answered_by_redis(
    migrated: Engine, redis_conn: Any, redis_prefix: str
) -> None:
    store = cached(migrated, redis_conn, redis_prefix)
    store.revoke("jti-1", now() + timedelta(minutes=15))
    with migrated.begin() as conn:  # SQL forgets it: only Redis can still say "revoked"
        conn.execute(delete(revoked_tokens))
    assert store.is_revoked("jti-1", now()) is True


def test_once_filled_the_cache_answers_misses_without_sql(
    migrated: Engine, redis_conn: Any, redis_prefix: str, dead_sql: SqlRevocationStore
) -> None:
    cached(migrated, redis_conn, redis_prefix).is_revoked("warm-up", now())  # fills the cache
    assert redis_conn.exists(f"{redis_prefix}complete") == 1
    trusting = RedisCachedRevocationStore(dead_sql, redis_conn, prefix=redis_prefix)
    assert trusting.is_revoked("jti-1", now()) is False


def test_an_emptied_redis_is_refilled_from_sql_and_loses_no_revocation(
    migrated: Engine, redis_conn: Any, redis_prefix: str
) -> None:
    """Redis restarted without its data: a miss is not believed until SQL refilled it."""
    store = cached(migrated, redis_conn, redis_prefix)
    for n in range(3):
        store.revoke(f"jti-{n}", now() + timedelta(minutes=15))
    store.is_revoked("other", now())
    redis_conn.delete(*redis_conn.keys(f"{redis_prefix}*"))
    assert store.is_revoked("jti-1", now()) is True
    assert sorted(redis_conn.keys(f"{redis_prefix}*")) == sorted(
        f"{redis_prefix}{name}".encode()
        for name in ("complete", "jti:jti-0", "jti:jti-1", "jti:jti-2")
    )
    assert store.is_revoked("other", now()) is False


def test_a_revocation_redis_missed_is_seen_once_the_cache_is_no_longer_trusted(
    migrated: Engine, redis_conn: Any, dead_redis: Any, redis_prefix: str
) -> None:
    """Redis was away during logout, then came back with its old keys and marker."""
    store = cached(migrated, redis_conn, redis_prefix, trust_for=timedelta(seconds=0.5))
    assert store.is_revoked("jti-1", now()) is False  # fills the cache and marks it
    cached(migrated, dead_redis, redis_prefix).revoke("jti-1", now() + timedelta(minutes=15))
    deadline = time.monotonic() + 5
    while not store.is_revoked("jti-1", now()):
        assert time.monotonic() < deadline, "the missed revocation was never seen"
        time.sleep(0.1)


def test_with_redis_down_revocations_are_written_to_and_read_from_sql(
    migrated: Engine, dead_redis: Any, redis_prefix: str
) -> None:
    store = cached(migrated, dead_redis, redis_prefix)
    store.revoke("jti-1", now() + timedelta(minutes=15))  # no error: SQL has it
    assert SqlRevocationStore(migrated).is_revoked("jti-1", now()) is True
    assert store.is_revoked("jti-1", now()) is True
    assert store.is_revoked("jti-2", now()) is False


def test_with_redis_and_sql_down_the_check_fails_closed(
    dead_redis: Any, dead_sql: SqlRevocationStore, redis_prefix: str
) -> None:
    store = RedisCachedRevocationStore(dead_sql, dead_redis, prefix=redis_prefix)
    with pytest.raises(RevocationUnavailable):
        store.is_revoked("jti-1", now())
    with pytest.raises(RevocationUnavailable):
        store.revoke("jti-1", now() + timedelta(minutes=15))


def test_with_sql_down_a_miss_in_an_unfilled_cache_fails_closed(
    redis_conn: Any, dead_sql: SqlRevocationStore, redis_prefix: str
) -> None:
    store = RedisCachedRevocationStore(dead_sql, redis_conn, prefix=redis_prefix)
    with pytest.raises(RevocationUnavailable):
        store.is_revoked("jti-1", now())
    ends = int((now() + timedelta(minutes=1)).timestamp() * 1000)
    redis_conn.set(f"{redis_prefix}jti:jti-2", ends, ex=60)
    assert store.is_revoked("jti-2", now()) is True  # a hit needs no SQL


# The failure counter

T0 = datetime.fromisoformat("2026-02-03T04:05:06+00:00")
WINDOW = timedelta(minutes=15)


@pytest.fixture
def counter(redis_conn: Any, redis_prefix: str) -> RedisFailureCounter:
    return RedisFailureCounter(redis_conn, window=WINDOW, prefix=redis_prefix)


def test_failures_count_within_the_sliding_window(counter: RedisFailureCounter) -> None:
    key = "login:account:ann@example.com"
    assert counter.failures(key, T0) == (0, None)
    for minutes in (0, 1, 2):
        counter.add_failure(key, T0 + timedelta(minutes=minutes))
    assert counter.failures(key, T0 + timedelta(minutes=3)) == (3, T0 + WINDOW)
    assert counter.failures(key, T0 + WINDOW - timedelta(milliseconds=1)) == (3, T0 + WINDOW)
    assert counter.failures(key, T0 + WINDOW) == (2, T0 + timedelta(minutes=1) + WINDOW)
    assert counter.failures(key, T0 + WINDOW + timedelta(minutes=2)) == (0, None)
    assert counter.failures("login:account:bob@example.com", T0) == (0, None)


def test_failures_in_the_same_millisecond_all_count_and_clear_resets(
    counter: RedisFailureCounter,
) -> None:
    for _ in range(4):
        counter.add_failure("k", T0)
    counter.add_failure("other", T0)
    assert counter.failures("k", T0) == (4, T0 + WINDOW)
    counter.clear("k")
    assert counter.failures("k", T0) == (0, None)
    assert counter.failures("other", T0)[0] == 1


def test_keys_are_hashed_and_expire_with_the_window(
    counter: RedisFailureCounter, redis_conn: Any, redis_prefix: str
) -> None:
    counter.add_failure("login:account:ann@example.com", T0)
    (name,) = redis_conn.keys(f"{redis_prefix}*")
    assert b"ann" not in name
    assert 0 < redis_conn.pttl(name) <= WINDOW.total_seconds() * 1000


def test_a_short_window_really_expires_in_redis(redis_conn: Any, redis_prefix: str) -> None:
    counter = RedisFailureCounter(
        redis_conn, window=timedelta(milliseconds=300), prefix=redis_prefix
    )
    counter.add_failure("k", now())
    assert counter.failures("k", now())[0] == 1
    time.sleep(0.5)
    assert redis_conn.keys(f"{redis_prefix}*") == []
    assert counter.failures("k", now()) == (0, None)


def test_eight_threads_adding_at_once_lose_no_failure(redis_url: str, redis_prefix: str) -> None:
    per_thread, threads = 25, 8
    barrier = threading.Barrier(threads)

    def add() -> None:
        client = redis_client(redis_url)
        counter = RedisFailureCounter(client, window=WINDOW, prefix=redis_prefix)
        barrier.wait()
        for n in range(per_thread):
            counter.add_failure("k", T0 + timedelta(milliseconds=n))
        client.close()

    workers = [threading.Thread(target=add) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    reader = RedisFailureCounter(redis_client(redis_url), window=WINDOW, prefix=redis_prefix)
    assert reader.failures("k", T0 + timedelta(seconds=1)) == (per_thread * threads, T0 + WINDOW)


def test_a_dead_redis_raises_counter_store_unavailable(dead_redis: Any) -> None:
    counter = RedisFailureCounter(dead_redis, window=WINDOW)
    for call in (
        lambda: counter.failures("k", T0),
        lambda: counter.add_failure("k", T0),
        lambda: counter.clear("k"),
    ):
        with pytest.raises(CounterStoreUnavailable):
            call()
