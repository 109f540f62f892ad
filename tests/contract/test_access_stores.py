"""The access ports' contracts, one suite per store, on memory, SQLite and PostgreSQL.

The revocation store also runs as the Redis cache in front of SQLite, and the failure
counter on memory and Redis. Times are real (`SystemClock`) where Redis is involved, because
Redis expires keys by its own clock.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import attrs
import pytest

from pricing_adapters.clock import SystemClock
from pricing_core.access.model import ApiKey, AuditEvent, AuditQuery, Outcome, RefreshRecord, User
from pricing_core.access.ports import (
    ApiKeyStore,
    AuditLog,
    FailureCounter,
    RefreshTokenStore,
    RevocationStore,
    UserStore,
)
from pricing_core.access.roles import Role
from pricing_core.errors import Conflict, EmailTaken
from tests.gear.redis_keys import redis_client

T0 = SystemClock().now().replace(microsecond=123000)  # whole ms: Redis scores are ms
MARGIN = timedelta(seconds=61)  # past any store's grace after a revoked token's expiry


@attrs.frozen
class Stores:
    kind: str
    users: UserStore
    refresh: RefreshTokenStore
    revocations: RevocationStore
    api_keys: ApiKeyStore
    audit: AuditLog


def _memory() -> Stores:
    memory = pytest.importorskip("pricing_adapters.access_memory")
    return Stores(
        kind="memory",
        users=memory.InMemoryUserStore(),
        refresh=memory.InMemoryRefreshTokenStore(),
        revocations=memory.InMemoryRevocationStore(),
        api_keys=memory.InMemoryApiKeyStore(),
        audit=memory.InMemoryAuditLog(),
    )


def _sql(kind: str, engine: Any) -> Stores:
    from pricing_adapters.sql import access

    return Stores(
        kind=kind,
        users=access.SqlUserStore(engine),
        refresh=access.SqlRefreshTokenStore(engine),
        revocations=access.SqlRevocationStore(engine),
        api_keys=access.SqlApiKeyStore(engine),
        audit=access.SqlAuditLog(engine),
    )


def _engine(request: pytest.FixtureRequest, kind: str) -> Any:
    from pricing_adapters.sql.engine import make_engine
    from pricing_adapters.sql.migrate import upgrade

    engine = make_engine(request.getfixturevalue(f"{kind}_url"))
    upgrade(engine)
    request.addfinalizer(engine.dispose)
    return engine


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def stores(request: pytest.FixtureRequest) -> Stores:
    if request.param == "memory":
        return _memory()
    return _sql(request.param, _engine(request, request.param))


@pytest.fixture(params=["memory", "sqlite", "postgres", "redis+sqlite"])
def revocations(request: pytest.FixtureRequest) -> Iterator[RevocationStore]:
    if request.param == "memory":
        yield _memory().revocations
        return
    if request.param != "redis+sqlite":
        yield _sql(request.param, _engine(request, request.param)).revocations
        return
    from pricing_adapters.redis_revocations import RedisCachedRevocationStore
    from pricing_adapters.sql.access import SqlRevocationStore

    client = redis_client(request.getfixturevalue("redis_url"))
    database = SqlRevocationStore(_engine(request, "sqlite"))
    prefix = request.getfixturevalue("redis_prefix")
    yield RedisCachedRevocationStore(database, client, prefix=prefix)
    client.close()


WINDOW = timedelta(minutes=15)


@pytest.fixture(params=["memory", "redis"])
def failures(request: pytest.FixtureRequest) -> Iterator[FailureCounter]:
    if request.param == "memory":
        yield pytest.importorskip("pricing_adapters.access_memory").InMemoryFailureCounter(
            window=WINDOW
        )
        return
    from pricing_adapters.redis_failures import RedisFailureCounter

    client = redis_client(request.getfixturevalue("redis_url"))
    yield RedisFailureCounter(client, window=WINDOW, prefix=request.getfixturevalue("redis_prefix"))
    client.close()


def user(n: int, **changes: Any) -> User:
    values: dict[str, Any] = {
        "id": f"u{n}",
        "email": f"Person{n}@Example.org",
        "role": Role.VIEWER,
        "password_hash": f"hash-{n}",
        "created_at": T0 + timedelta(seconds=n),
    }
    return User(**{**values, **changes})


def record(n: int, family: str = "f1", user_id: str = "u1", **changes: Any) -> RefreshRecord:
    values: dict[str, Any] = {
        "id": f"r{n}",
        "user_id": user_id,
        "family_id": family,
        "token_hash": f"{n:064x}",
        "created_at": T0,
        "expires_at": T0 + timedelta(days=14),
        "family_expires_at": T0 + timedelta(days=30),
    }
    return RefreshRecord(**{**values, **changes})


# UserStore


def test_users_are_found_by_id_and_by_email_in_any_case(stores: Stores) -> None:
    stores.users.add(user(1, sessions_valid_after=T0))
    assert stores.users.get("u1") == user(1, sessions_valid_after=T0)
    assert stores.users.by_email("PERSON1@example.ORG") == user(1, sessions_valid_after=T0)
    assert stores.users.get("u2") is None
    assert stores.users.by_email("person2@example.org") is None


def test_a_one_time_password_expiry_is_kept_and_cleared(stores: Stores) -> None:
    expires = T0 + timedelta(hours=72)
    stores.users.add(user(1, one_time_password_expires_at=expires))
    found = stores.users.get("u1")
    assert found == user(1, one_time_password_expires_at=expires)
    assert found is not None
    assert found.password_change_required
    stores.users.save(attrs.evolve(found, one_time_password_expires_at=None))
    assert stores.users.get("u1") == user(1)


def test_a_taken_email_in_another_case_is_a_conflict(stores: Stores) -> None:
    stores.users.add(user(1))
    with pytest.raises(EmailTaken) as caught:
        stores.users.add(user(2, email="person1@EXAMPLE.org"))
    assert isinstance(caught.value, Conflict)
    assert stores.users.get("u2") is None


def test_saved_users_read_back_and_list_in_creation_order(stores: Stores) -> None:
    for n in (2, 3, 1):
        stores.users.add(user(n))
    changed = attrs.evolve(user(2), role=Role.ADMIN, active=False, password_hash="new")
    stores.users.save(changed)
    assert stores.users.get("u2") == changed
    page, total = stores.users.list(offset=0, limit=2)
    assert ([u.id for u in page], total) == (["u1", "u2"], 3)
    assert [u.id for u in stores.users.list(offset=2, limit=2)[0]] == ["u3"]


# RefreshTokenStore


def test_a_refresh_token_is_used_once_and_never_after_revocation(stores: Stores) -> None:
    stores.users.add(user(1))
    stores.refresh.add(record(1))
    stores.refresh.add(record(2))
    assert stores.refresh.by_hash(f"{1:064x}") == record(1)
    assert stores.refresh.by_hash("f" * 64) is None
    assert stores.refresh.use("r1", T0) is True
    assert stores.refresh.use("r1", T0) is False
    assert stores.refresh.by_hash(f"{1:064x}") == record(1, used_at=T0)
    stores.refresh.revoke_family("f1", T0)
    assert stores.refresh.use("r2", T0) is False
    assert stores.refresh.use("nope", T0) is False


def test_revocation_reaches_only_the_family_or_the_user_named(stores: Stores) -> None:
    for n in (1, 2):
        stores.users.add(user(n))
    stores.refresh.add(record(1, "f1"))
    stores.refresh.add(record(2, "f2"))
    stores.refresh.add(record(3, "f3", user_id="u2"))
    stores.refresh.add(record(4, "f1", revoked_at=T0 - timedelta(hours=1)))
    stores.refresh.revoke_family("f1", T0)
    assert stores.refresh.by_hash(f"{1:064x}").revoked_at == T0  # type: ignore[union-attr]
    earlier = T0 - timedelta(hours=1)
    assert stores.refresh.by_hash(f"{4:064x}").revoked_at == earlier  # type: ignore[union-attr]
    assert stores.refresh.by_hash(f"{2:064x}").revoked_at is None  # type: ignore[union-attr]
    stores.refresh.revoke_user("u1", T0)
    assert stores.refresh.use("r2", T0) is False
    assert stores.refresh.use("r3", T0) is True


def test_a_token_names_its_parent_and_the_parent_finds_its_successor(stores: Stores) -> None:
    stores.users.add(user(1))
    stores.refresh.add(record(1))
    stores.refresh.add(record(2, parent_id="r1"))
    stores.refresh.add(record(3, "f2"))
    assert stores.refresh.by_hash(f"{2:064x}") == record(2, parent_id="r1")
    assert stores.refresh.successor("r1") == record(2, parent_id="r1")
    assert stores.refresh.successor("r2") is None
    assert stores.refresh.successor("r3") is None
    assert stores.refresh.use("r2", T0) is True
    assert stores.refresh.successor("r1") == record(2, parent_id="r1", used_at=T0)


def test_of_ten_concurrent_uses_exactly_one_wins(stores: Stores) -> None:
    stores.users.add(user(1))
    stores.refresh.add(record(1))
    results: list[bool] = []
    barrier = threading.Barrier(10)

    def use() -> None:
        barrier.wait()
        results.append(stores.refresh.use("r1", T0))

    threads = [threading.Thread(target=use) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 9 + [True]


# RevocationStore


def test_a_revoked_token_id_is_revoked_until_its_expiry(revocations: RevocationStore) -> None:
    until = T0 + timedelta(minutes=15)
    revocations.revoke("jti-1", until)
    assert revocations.is_revoked("jti-1", T0) is True
    assert revocations.is_revoked("jti-1", until - timedelta(seconds=1)) is True
    assert revocations.is_revoked("jti-1", until + MARGIN) is False
    assert revocations.is_revoked("jti-2", T0) is False


def test_revoking_again_never_shortens_a_revocation(revocations: RevocationStore) -> None:
    revocations.revoke("jti-1", T0 + timedelta(minutes=15))
    revocations.revoke("jti-1", T0 + timedelta(minutes=1))
    assert revocations.is_revoked("jti-1", T0 + timedelta(minutes=10)) is True


# ApiKeyStore


def key(n: int, **changes: Any) -> ApiKey:
    values: dict[str, Any] = {
        "id": f"k{n}",
        "name": f"key {n}",
        "role": Role.HR_ANALYST,
        "key_hash": f"{n:064x}",
        "prefix": f"pk_{n}",
        "created_by": "u1",
        "created_at": T0 + timedelta(seconds=n),
    }
    return ApiKey(**{**values, **changes})


def test_api_keys_are_found_by_id_and_hash_listed_and_saved(stores: Stores) -> None:
    for n in (1, 2):
        stores.api_keys.add(key(n))
    assert stores.api_keys.get("k2") == key(2)
    assert stores.api_keys.by_hash(f"{1:064x}") == key(1)
    assert stores.api_keys.by_hash("0" * 64) is None
    assert stores.api_keys.get("k3") is None
    assert [k.id for k in stores.api_keys.list()] == ["k1", "k2"]
    revoked = attrs.evolve(key(1), revoked_at=T0, last_used_at=T0 - timedelta(minutes=1))
    stores.api_keys.save(revoked)
    assert stores.api_keys.get("k1") == revoked
    assert stores.api_keys.by_hash(f"{1:064x}") == revoked
    stores.api_keys.mark_used("k2", T0 + timedelta(hours=1))
    assert stores.api_keys.get("k2") == attrs.evolve(key(2), last_used_at=T0 + timedelta(hours=1))
    stores.api_keys.mark_used("k9", T0)  # an unknown key: nothing to mark, no error
    assert stores.api_keys.get("k1") == revoked


# AuditLog


def event(n: int, at: datetime | None = None, **changes: Any) -> AuditEvent:
    values: dict[str, Any] = {
        "at": at or T0 + timedelta(seconds=n),
        "action": "authn_login" if n % 2 else "user_update",
        "outcome": Outcome.FAILURE if n % 3 == 0 else Outcome.SUCCESS,
        "actor": f"u{n % 2}",
        "target_type": "user",
        "target_id": f"t{n % 4}",
        "ip": "198.51.100.4",
        "user_agent": "agent",
        "request_id": f"req-{n}",
        "detail": {"n": n, "reason": "wrong_password", "tags": ["a", "é"]},
    }
    return AuditEvent(**{**values, **changes})


def numbers(log: AuditLog, query: AuditQuery) -> tuple[list[object], int]:
    found, total = log.query(query)
    return [e.detail["n"] for e in found], total


def test_audit_events_read_back_newest_first_with_increasing_ids(stores: Stores) -> None:
    for n in range(1, 6):
        stores.audit.append(event(n))
    stores.audit.append(event(6, at=T0 + timedelta(seconds=5)))  # same instant as 5
    found, total = stores.audit.query(AuditQuery())
    assert total == 6
    assert [e.detail["n"] for e in found] == [6, 5, 4, 3, 2, 1]
    ids = [e.id for e in found]
    assert all(isinstance(i, int) for i in ids)
    assert ids == sorted(ids, reverse=True)  # type: ignore[type-var]
    assert [attrs.evolve(e, id=None) for e in found[1:]] == [event(n) for n in (5, 4, 3, 2, 1)]


def test_audit_queries_filter_and_paginate(stores: Stores) -> None:
    for n in range(1, 11):
        stores.audit.append(event(n))
    log = stores.audit
    assert numbers(log, AuditQuery(limit=3)) == ([10, 9, 8], 10)
    assert numbers(log, AuditQuery(offset=8, limit=3)) == ([2, 1], 10)
    assert numbers(log, AuditQuery(actor="u1")) == ([9, 7, 5, 3, 1], 5)
    assert numbers(log, AuditQuery(action="user_update", limit=2)) == ([10, 8], 5)
    assert numbers(log, AuditQuery(outcome=Outcome.FAILURE)) == ([9, 6, 3], 3)
    assert numbers(log, AuditQuery(target_type="user", target_id="t1")) == ([9, 5, 1], 3)
    window = AuditQuery(since=T0 + timedelta(seconds=3), until=T0 + timedelta(seconds=6))
    assert numbers(log, window) == ([5, 4, 3], 3)  # since inclusive, until exclusive
    assert numbers(log, AuditQuery(actor="u0", outcome=Outcome.FAILURE)) == ([6], 1)
    assert numbers(log, AuditQuery(target_type="api_key")) == ([], 0)


# FailureCounter


def test_failures_slide_out_of_the_window(failures: FailureCounter) -> None:
    key = "login:account:ann@example.org"
    assert failures.failures(key, T0) == (0, None)
    for minutes in (0, 5, 10):
        failures.add_failure(key, T0 + timedelta(minutes=minutes))
    assert failures.failures(key, T0 + timedelta(minutes=11)) == (3, T0 + WINDOW)
    later = T0 + WINDOW + timedelta(minutes=1)
    assert failures.failures(key, later) == (2, T0 + timedelta(minutes=5) + WINDOW)
    assert failures.failures(key, T0 + timedelta(minutes=40)) == (0, None)


def test_failures_are_counted_per_key_and_cleared(failures: FailureCounter) -> None:
    for _ in range(3):
        failures.add_failure("a", T0)
    failures.add_failure("b", T0)
    assert failures.failures("a", T0)[0] == 3
    failures.clear("a")
    assert failures.failures("a", T0) == (0, None)
    assert failures.failures("b", T0) == (1, T0 + WINDOW)
