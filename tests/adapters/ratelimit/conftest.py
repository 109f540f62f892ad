"""Gear for the rate-limit adapter tests: the real Redis (PRICING_TEST_REDIS_URL) with a key
prefix per test, and a private redis-server the test may stop."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from tests.adapters.ratelimit.private_redis import PrivateRedis

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
DEAD_REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1: refused at once


@pytest.fixture(scope="session")
def shared_redis() -> str:
    url = os.environ.get("PRICING_TEST_REDIS_URL") or DEFAULT_REDIS_URL  # noqa: TID251 - tests
    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.fail(f"no Redis at {url} ({error.__class__.__name__})")
    finally:
        client.close()
    return url


@pytest.fixture
def prefix(shared_redis: str) -> Iterator[str]:
    """A key prefix of this test's own; its keys are deleted afterwards."""
    name = f"pricing-test:rl:{uuid.uuid4().hex[:12]}"
    yield name
    client = redis.Redis.from_url(shared_redis)
    keys = list(client.scan_iter(match=f"{name}*", count=500))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop()
