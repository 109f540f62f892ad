"""Fixtures for the rate-limit tests over HTTP (checklist 21 to 25); Redis, the private
redis-server and the databases come from tests/conftest.py."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from pricing_adapters.argon2_hasher import Argon2PasswordHasher
from tests.e2e.ratelimit.gear import PASSWORD, Api, environment, open_api
from tests.gear.redis_keys import forget_keys

MakeApi = Callable[..., Api]


@pytest.fixture(scope="session")
def password_hash() -> str:
    return Argon2PasswordHasher().hash(PASSWORD)


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
            forget_keys(settings.redis_url, settings.rate_limit_prefix)
