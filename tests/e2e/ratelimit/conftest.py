"""Fixtures for the rate-limit tests over HTTP (checklist 21 to 25)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
import redis

from pricing_adapters.argon2_hasher import Argon2PasswordHasher
from tests.adapters.ratelimit.private_redis import PrivateRedis
from tests.e2e.ratelimit.gear import PASSWORD, Api, environment, open_api

MakeApi = Callable[..., Api]


@pytest.fixture(scope="session")
def password_hash() -> str:
    return Argon2PasswordHasher().hash(PASSWORD)


@pytest.fixture(scope="session")
def shared_redis() -> str:
    url = os.environ.get("PRICING_TEST_REDIS_URL") or "redis://127.0.0.1:6379/0"  # noqa: TID251
    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.fail(f"no Redis at {url} ({error.__class__.__name__})")
    finally:
        client.close()
    return url


@pytest.fixture
def make_api(tmp_path: Path, password_hash: str) -> Iterator[MakeApi]:
    """`make_api(**PRICING_env)`: an app on a memory database, with a key prefix of its own;
    the Redis keys it made are deleted afterwards."""
    stack = ExitStack()
    made: list[Api] = []

    def make(**env: str) -> Api:
        api = stack.enter_context(open_api(environment(tmp_path, **env), password_hash))
        made.append(api)
        return api

    with stack:
        yield make
    for api in made:
        settings = api.container.settings
        if settings.redis_url:
            _forget(settings.redis_url, settings.rate_limit_prefix)


def _forget(url: str, prefix: str) -> None:
    client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=1)
    try:
        keys = list(client.scan_iter(match=prefix + "*"))
        if keys:
            client.delete(*keys)
    except redis.RedisError:
        pass  # a private server the test stopped: nothing to clean
    finally:
        client.close()


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop()
