"""Gear for the access adapter tests: a real Redis, a key prefix per test, migrated engines.

Redis comes from PRICING_TEST_REDIS_URL (CI sets it). Unset, the default local Redis is
tried; if it does not answer either, the Redis tests are skipped with the reason. A URL that
is set but does not answer fails the tests: CI must not skip silently.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
DEAD_REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1: connection refused


def redis_client(url: str) -> Any:
    """A client that gives up quickly, as the tests want from a dead server."""
    import redis

    return redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2)


@pytest.fixture(scope="session")
def redis_server() -> str:
    import redis

    configured = os.environ.get("PRICING_TEST_REDIS_URL")  # noqa: TID251 - test configuration
    url = configured or DEFAULT_REDIS_URL
    client = redis_client(url)
    try:
        client.ping()
    except redis.RedisError as error:
        if configured:
            pytest.fail(f"PRICING_TEST_REDIS_URL does not answer ({error.__class__.__name__})")
        pytest.skip(f"no Redis: set PRICING_TEST_REDIS_URL ({error.__class__.__name__})")
    finally:
        client.close()
    return url


@pytest.fixture
def redis_url(redis_server: str) -> str:
    """The URL of a Redis that answers; use it with `redis_prefix`, never bare key names."""
    return redis_server


@pytest.fixture
def redis_prefix(redis_url: str) -> Iterator[str]:
    """A key prefix of this test's own; its keys are deleted afterwards."""
    prefix = f"pricing-test:{uuid.uuid4().hex[:12]}:"
    yield prefix
    client = redis_client(redis_url)
    keys = list(client.scan_iter(match=f"{prefix}*", count=500))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture
def redis_conn(redis_url: str) -> Iterator[Any]:
    client = redis_client(redis_url)
    yield client
    client.close()


@pytest.fixture
def migrated(database_url: str) -> Iterator[Any]:
    """An engine on an empty, migrated database of each kind in turn."""
    from pricing_adapters.sql.engine import make_engine
    from pricing_adapters.sql.migrate import upgrade

    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def migrated_postgres(postgres_url: str) -> Iterator[Any]:
    """An engine on an empty, migrated PostgreSQL database."""
    from pricing_adapters.sql.engine import make_engine
    from pricing_adapters.sql.migrate import upgrade

    engine = make_engine(postgres_url)
    upgrade(engine)
    yield engine
    engine.dispose()
