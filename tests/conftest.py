"""Real database and Redis servers for the tests that need them, for every directory.

PostgreSQL comes from PRICING_TEST_POSTGRES_URL (CI sets it; .ci/run starts the server), or
from testcontainers where Docker answers; otherwise those tests are skipped with the reason.
Each user of `postgres_url` gets a database of its own, dropped afterwards.

Redis comes from PRICING_TEST_REDIS_URL (CI sets it). Unset, the default local Redis is
tried; if it does not answer either, the Redis tests are skipped with the reason. A URL that
is set but does not answer fails the tests: CI must not skip silently. Tests use keys under
`redis_prefix` only, deleted afterwards.

Adapters are imported inside the fixtures so that the core's own tests run with the core
alone; the shared helpers are in tests/gear.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.gear.redis_keys import DEFAULT_REDIS_URL, forget_keys, redis_client


def _server_url() -> Iterator[str]:
    url = os.environ.get("PRICING_TEST_POSTGRES_URL")  # noqa: TID251 - test configuration
    if url:
        yield url
        return
    try:
        from testcontainers.postgres import PostgresContainer

        with PostgresContainer("postgres:16-alpine", driver="psycopg") as server:
            yield server.get_connection_url()
    except Exception as error:  # no Docker either: say why and skip
        pytest.skip(f"no PostgreSQL: set PRICING_TEST_POSTGRES_URL ({error.__class__.__name__})")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The URL of a PostgreSQL server's maintenance database."""
    yield from _server_url()


def _admin(server: str) -> Any:
    from sqlalchemy import create_engine

    from pricing_adapters.sql.engine import normalise_url

    return create_engine(normalise_url(server), isolation_level="AUTOCOMMIT")


def fresh_postgres_database(server: str) -> Iterator[str]:
    """CREATE DATABASE with a random name; dropped (connections forced out) afterwards."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from pricing_adapters.sql.engine import normalise_url

    name = f"pricing_test_{uuid.uuid4().hex[:10]}"
    admin = _admin(server)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield (
            make_url(normalise_url(server)).set(database=name).render_as_string(hide_password=False)
        )
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """An empty PostgreSQL database of this test's own."""
    yield from fresh_postgres_database(postgres_server)


@pytest.fixture
def sqlite_url(tmp_path: Any) -> str:
    """An empty SQLite file of this test's own."""
    return f"sqlite:///{tmp_path / 'pricing.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> str:
    """Each SQL backend in turn: the same test runs on SQLite and on PostgreSQL."""
    name = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    url: str = request.getfixturevalue(name)
    return url


@pytest.fixture(scope="module")
def pg_database(postgres_server: str) -> Iterator[str]:
    """An empty PostgreSQL database shared by a module's tests."""
    yield from fresh_postgres_database(postgres_server)


@pytest.fixture
def pg_engine(postgres_url: str) -> Iterator[Any]:
    """An engine on an empty PostgreSQL database (not migrated)."""
    from pricing_adapters.sql.engine import make_engine

    engine = make_engine(postgres_url)
    yield engine
    engine.dispose()


def _migrated(url: str) -> Iterator[Any]:
    from pricing_adapters.sql.engine import make_engine
    from pricing_adapters.sql.migrate import upgrade

    engine = make_engine(url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def migrated(database_url: str) -> Iterator[Any]:
    """An engine on an empty, migrated database of each kind in turn."""
    yield from _migrated(database_url)


@pytest.fixture
def migrated_postgres(postgres_url: str) -> Iterator[Any]:
    """An engine on an empty, migrated PostgreSQL database."""
    yield from _migrated(postgres_url)


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The URL of a Redis that answers; use it with `redis_prefix`, never bare key names."""
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
def redis_prefix(redis_url: str) -> Iterator[str]:
    """A key prefix of this test's own, ending in `:`; its keys are deleted afterwards."""
    prefix = f"pricing-test:{uuid.uuid4().hex[:12]}:"
    yield prefix
    forget_keys(redis_url, prefix)


@pytest.fixture
def redis_conn(redis_url: str) -> Iterator[Any]:
    client = redis_client(redis_url)
    yield client
    client.close()


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[Any]:
    """A redis-server of this test's own, which the test may stop and start again."""
    from tests.gear.private_redis import PrivateRedis

    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop()
