"""Real database servers for the tests that need them.

PostgreSQL comes from PRICING_TEST_POSTGRES_URL (CI sets it; .ci/run starts the server), or
from testcontainers where Docker answers; otherwise those tests are skipped with the reason.
Each user of `postgres_url` gets a database of its own, dropped afterwards. Adapters are
imported inside the fixtures so that the core's own tests run with the core alone.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest


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
