"""Checklist 13 at the store: of 10 concurrent uses of one refresh token on PostgreSQL,
exactly one wins, and the row records that one use."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select

from pricing_adapters.sql.access import SqlRefreshTokenStore, SqlUserStore
from pricing_adapters.sql.tables import refresh_tokens
from pricing_core.access.model import RefreshRecord, User
from pricing_core.access.roles import Role

T0 = datetime(2026, 2, 3, 4, 5, 6, tzinfo=UTC)
RACERS = 10


def race(store: SqlRefreshTokenStore, record_id: str) -> dict[int, bool]:
    """Every racer calls `use` at once (a barrier releases them); each has its own `now`."""
    results: dict[int, bool] = {}
    barrier = threading.Barrier(RACERS)

    def racer(n: int) -> None:
        barrier.wait()
        results[n] = store.use(record_id, T0 + timedelta(seconds=n))

    threads = [threading.Thread(target=racer, args=(n,)) for n in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.parametrize("round_", range(5))
def test_ten_concurrent_uses_of_one_token_let_exactly_one_through(
    migrated_postgres: Engine, round_: int
) -> None:
    SqlUserStore(migrated_postgres).add(
        User(id="u1", email="a@example.com", role=Role.VIEWER, password_hash="h", created_at=T0)
    )
    store = SqlRefreshTokenStore(migrated_postgres)
    store.add(
        RefreshRecord(
            id="r1",
            user_id="u1",
            family_id="f1",
            token_hash="a" * 64,
            created_at=T0,
            expires_at=T0 + timedelta(days=14),
            family_expires_at=T0 + timedelta(days=30),
        )
    )
    results = race(store, "r1")
    winners = [n for n, won in results.items() if won]
    assert len(results) == RACERS
    assert len(winners) == 1, results
    with migrated_postgres.connect() as conn:
        rows = conn.execute(select(refresh_tokens)).all()
        used = conn.execute(
            select(func.count())
            .select_from(refresh_tokens)
            .where(refresh_tokens.c.used_at.is_not(None))
        ).scalar_one()
    assert len(rows) == 1
    assert used == 1
    assert rows[0].used_at == T0 + timedelta(seconds=winners[0])  # the winner's write stands
    assert rows[0].revoked_at is None
    assert store.use("r1", T0 + timedelta(minutes=1)) is False
