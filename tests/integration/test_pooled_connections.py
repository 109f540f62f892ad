"""Pooled PostgreSQL connections: reads on the hot path open no transaction, and a
connection that idled while the server dropped it is replaced before a request meets it."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.exc import OperationalError

from pricing_adapters.sql import engine as engines
from pricing_adapters.sql.engine import for_reads, make_engine


def _pid(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(text("pg_backend_pid()"))).scalar_one())


def _terminate(url: str, pid: int) -> None:
    with create_engine(url, isolation_level="AUTOCOMMIT").connect() as admin:
        assert admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()


def test_a_connection_dropped_while_idle_is_replaced_unseen(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(postgres_url, pool_size=1, max_overflow=0)
    first = _pid(engine)
    _terminate(postgres_url, first)  # a server restart or a firewall, as the pool sees it
    monkeypatch.setattr(engines, "PING_AFTER_IDLE_SECONDS", 0.0)  # it has idled long enough
    assert _pid(engine) != first  # pinged, found dead, replaced: the caller saw nothing
    engine.dispose()


def test_a_busy_connection_is_not_pinged(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The other side of the trade: a connection in steady use is trusted without a round
    # trip, so one dropped under load fails its statement (the API answers 503) and the
    # pool reconnects for the next.
    engine = make_engine(postgres_url, pool_size=1, max_overflow=0)
    first = _pid(engine)
    _terminate(postgres_url, first)
    monkeypatch.setattr(engines, "PING_AFTER_IDLE_SECONDS", 3600.0)
    with pytest.raises(OperationalError):
        _pid(engine)
    assert _pid(engine) != first
    engine.dispose()


def test_hot_reads_open_no_transaction(postgres_url: str) -> None:
    engine = make_engine(postgres_url)
    with for_reads(engine).connect() as conn:
        conn.execute(select(text("1"))).scalar_one()
        # No BEGIN was sent: the connection is not inside a transaction block.
        assert conn.connection.dbapi_connection.info.transaction_status == 0  # type: ignore[union-attr]
    with engine.connect() as conn:
        conn.execute(select(text("1"))).scalar_one()
        assert conn.connection.dbapi_connection.info.transaction_status != 0  # type: ignore[union-attr]
    engine.dispose()
