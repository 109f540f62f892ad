"""Engines for the two supported databases, configured the way this product needs them."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.engine import make_url

__all__ = ["CONNECT_TIMEOUT_SECONDS", "for_reads", "make_engine", "normalise_url"]

CONNECT_TIMEOUT_SECONDS = 5
# A pooled connection idle longer than this is pinged before use (see _ping_when_idle).
PING_AFTER_IDLE_SECONDS = 10.0


def normalise_url(url: str) -> str:
    """`postgresql://` and `postgres://` mean psycopg 3, the driver this product ships."""
    parsed = make_url(url)
    if parsed.drivername in {"postgresql", "postgres"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_connection: Any, _: object) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers keep pricing from the old version while an import writes the new one.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str, **options: Any) -> Engine:
    """An engine for `url`; a SQLite file's folder is created on first use."""
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **options)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # A blackholed server must fail a request in seconds, not hang it until TCP gives up.
    connect_args = {"connect_timeout": CONNECT_TIMEOUT_SECONDS, **options.pop("connect_args", {})}
    engine = create_engine(url, connect_args=connect_args, **options)
    event.listen(engine, "checkout", _ping_when_idle)
    event.listen(engine, "checkin", _note_checkin)
    return engine


def _note_checkin(_: Any, record: Any) -> None:
    record.info["pricing_idle_since"] = time.monotonic()


def _ping_when_idle(dbapi_connection: Any, record: Any, _: Any) -> None:
    """Ping a connection that sat idle in the pool, and have the pool replace it if dead.

    SQLAlchemy's pool_pre_ping pings on every checkout: a round trip per statement on the
    hot path (each request checks out several times). A connection in steady use has just
    proved itself; one that idled may have been cut by a server restart, a failover or a
    firewall, so only those are pinged. DisconnectionError makes the pool discard it and
    connect afresh (SQLAlchemy's documented pessimistic-disconnect recipe).
    """
    idle_since = record.info.get("pricing_idle_since")
    if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
        return
    try:
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        if not dbapi_connection.autocommit:
            dbapi_connection.rollback()  # leave no transaction open behind the ping
    except Exception as error:  # any failure: this connection is not to be trusted
        raise exc.DisconnectionError(f"stale pooled connection: {type(error).__name__}") from error


def for_reads(engine: Engine) -> Engine:
    """`engine` for single-statement reads on every request (the caller's user, revocation,
    active version, policy version, cuts): no transaction is opened around them.

    On PostgreSQL a pooled read inside a transaction costs BEGIN and, back in the pool,
    ROLLBACK: two more round trips than the statement itself. One statement reads one
    snapshot either way, so these reads lose nothing; writes and multi-statement reads keep
    their transactions. SQLite's driver opens no transaction for a SELECT anyway.
    """
    if engine.dialect.name == "sqlite":
        return engine
    return engine.execution_options(isolation_level="AUTOCOMMIT")
