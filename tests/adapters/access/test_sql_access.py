"""The access stores on SQLite and PostgreSQL: rows, constraints, and an append-only audit log
(checklist 20: the database itself refuses UPDATE and DELETE of audit rows)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import pytest
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from pricing_adapters.sql.access import (
    REVOCATION_MARGIN,
    SqlApiKeyStore,
    SqlAuditLog,
    SqlRefreshTokenStore,
    SqlRevocationStore,
    SqlUserStore,
)
from pricing_adapters.sql.tables import audit_log, revoked_tokens, users
from pricing_core.access.model import ApiKey, AuditEvent, AuditQuery, Outcome, RefreshRecord, User
from pricing_core.access.roles import Role
from pricing_core.errors import Conflict, EmailTaken, NotFound, RevocationUnavailable

T0 = datetime(2026, 2, 3, 4, 5, 6, 789012, tzinfo=UTC)
DEAD_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:1/test?connect_timeout=2"


def user(n: int = 1, **changes: Any) -> User:
    values: dict[str, Any] = {
        "id": f"u{n}",
        "email": f"User{n}@Example.COM",
        "name": f"User {n}",
        "role": Role.VIEWER,
        "password_hash": f"$argon2id$v=19$m=19456,t=2,p=1$salt{n}$hash{n}",
        "created_at": T0 + timedelta(minutes=n),
    }
    values.update(changes)
    return User(**values)


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
    values.update(changes)
    return RefreshRecord(**values)


def event(n: int, **changes: Any) -> AuditEvent:
    values: dict[str, Any] = {
        "at": T0 + timedelta(seconds=n),
        "action": "authn_login",
        "outcome": Outcome.SUCCESS,
        "actor": f"u{n % 2}",
        "target_type": "user",
        "target_id": f"u{n % 3}",
        "ip": "203.0.113.7",
        "user_agent": "pytest/1",
        "request_id": f"req-{n}",
        "detail": {"n": n, "note": "é ✓", "nested": {"a": [1, 2]}},
    }
    values.update(changes)
    return AuditEvent(**values)


# Users


def test_a_user_round_trips_with_a_lower_cased_email(migrated: Engine) -> None:
    store = SqlUserStore(migrated)
    ann = user(sessions_valid_after=T0 + timedelta(hours=1))
    store.add(ann)
    assert store.get("u1") == ann
    for spelling in ("user1@example.com", "USER1@EXAMPLE.COM", "  User1@Example.com "):
        assert store.by_email(spelling) == ann
    with migrated.connect() as conn:
        assert conn.execute(select(users.c.email)).scalar_one() == "user1@example.com"
    assert store.get("nobody") is None
    assert store.by_email("nobody@example.com") is None


def test_an_email_is_unique_whatever_its_case(migrated: Engine) -> None:
    store = SqlUserStore(migrated)
    store.add(user(1))
    with pytest.raises(EmailTaken) as caught:
        store.add(user(2, email="USER1@example.com"))
    assert isinstance(caught.value, Conflict)
    assert caught.value.code == "email_taken"
    store.add(user(2))
    with pytest.raises(EmailTaken):
        store.save(attrs.evolve(user(2), email="user1@EXAMPLE.com"))
    assert store.get("u2") == user(2)


def test_a_duplicate_id_is_not_reported_as_a_taken_email(migrated: Engine) -> None:
    store = SqlUserStore(migrated)
    store.add(user(1))
    with pytest.raises(IntegrityError):
        store.add(user(1, email="other@example.com"))


def test_save_changes_a_user_and_an_unknown_user_is_not_found(migrated: Engine) -> None:
    store = SqlUserStore(migrated)
    store.add(user(1))
    changed = attrs.evolve(
        user(1),
        role=Role.ADMIN,
        active=False,
        password_hash="$argon2id$new",
        sessions_valid_after=T0 + timedelta(days=1),
        name="Renamed",
    )
    store.save(changed)
    assert store.get("u1") == changed
    with pytest.raises(NotFound):
        store.save(user(9))


def test_users_list_by_creation_time_with_the_total(migrated: Engine) -> None:
    store = SqlUserStore(migrated)
    for n in (3, 1, 4, 2, 5):
        store.add(user(n))
    page, total = store.list(offset=1, limit=2)
    assert [u.id for u in page] == ["u2", "u3"]
    assert total == 5
    assert store.list(offset=10, limit=2) == ([], 5)


# Refresh tokens


def test_a_refresh_token_is_used_once(migrated: Engine) -> None:
    SqlUserStore(migrated).add(user(1))
    store = SqlRefreshTokenStore(migrated)
    store.add(record(1))
    assert store.by_hash(f"{1:064x}") == record(1)
    assert store.by_hash("0" * 64) is None
    assert store.use("r1", T0 + timedelta(minutes=1)) is True
    assert store.use("r1", T0 + timedelta(minutes=2)) is False
    assert store.by_hash(f"{1:064x}") == record(1, used_at=T0 + timedelta(minutes=1))
    assert store.use("unknown", T0) is False


def test_a_revoked_token_cannot_be_used_and_revocation_is_scoped(migrated: Engine) -> None:
    SqlUserStore(migrated).add(user(1))
    SqlUserStore(migrated).add(user(2))
    store = SqlRefreshTokenStore(migrated)
    store.add(record(1, "f1"))
    store.add(record(2, "f1", revoked_at=T0))  # already revoked: keeps its time
    store.add(record(3, "f2"))
    store.add(record(4, "f3", user_id="u2"))
    later = T0 + timedelta(hours=1)
    store.revoke_family("f1", later)
    assert store.use("r1", later) is False
    assert store.by_hash(f"{1:064x}").revoked_at == later  # type: ignore[union-attr]
    assert store.by_hash(f"{2:064x}").revoked_at == T0  # type: ignore[union-attr]
    assert store.by_hash(f"{3:064x}").revoked_at is None  # type: ignore[union-attr]
    store.revoke_user("u1", later)
    assert store.use("r3", later) is False
    assert store.use("r4", later) is True


def test_a_refresh_token_needs_an_existing_user(migrated: Engine) -> None:
    with pytest.raises(IntegrityError):
        SqlRefreshTokenStore(migrated).add(record(1, user_id="ghost"))


# Revoked access tokens


def test_a_revocation_lasts_until_expiry_plus_the_margin(migrated: Engine) -> None:
    store = SqlRevocationStore(migrated)
    until = T0 + timedelta(minutes=15)
    store.revoke("jti-1", until)
    assert store.is_revoked("jti-1", T0) is True
    assert store.is_revoked("jti-1", until + REVOCATION_MARGIN - timedelta(seconds=1)) is True
    assert store.is_revoked("jti-1", until + REVOCATION_MARGIN) is False
    assert store.is_revoked("jti-2", T0) is False


def test_revoking_again_keeps_the_later_expiry_and_purge_removes_dead_rows(
    migrated: Engine,
) -> None:
    store = SqlRevocationStore(migrated)
    store.revoke("a", T0 + timedelta(minutes=15))
    store.revoke("a", T0 + timedelta(minutes=5))
    store.revoke("b", T0 + timedelta(minutes=1))
    assert sorted(store.live(T0)) == [
        ("a", T0 + timedelta(minutes=15)),
        ("b", T0 + timedelta(minutes=1)),
    ]
    assert store.purge(T0 + timedelta(minutes=10)) == 1
    with migrated.connect() as conn:
        assert conn.execute(select(revoked_tokens.c.jti)).scalars().all() == ["a"]


@pytest.fixture(params=["sqlite", "postgresql"])
def dead_engine(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[Engine]:
    """A database that does not answer: a port nobody listens on, a file nobody can open."""
    url = DEAD_POSTGRES if request.param == "postgresql" else "sqlite:////nonexistent/dir/x.db"
    engine = create_engine(url)
    yield engine
    engine.dispose()


def test_an_unreachable_database_makes_revocation_checks_fail_closed(dead_engine: Engine) -> None:
    store = SqlRevocationStore(dead_engine)
    with pytest.raises(RevocationUnavailable):
        store.is_revoked("jti-1", T0)
    with pytest.raises(RevocationUnavailable):
        store.revoke("jti-1", T0)
    with pytest.raises(RevocationUnavailable):
        store.live(T0)


# API keys


def key(n: int, **changes: Any) -> ApiKey:
    values: dict[str, Any] = {
        "id": f"k{n}",
        "name": f"integration {n}",
        "role": Role.HR_ANALYST,
        "key_hash": f"{n:064x}",
        "prefix": f"pk_{n:04d}",
        "created_by": "u1",
        "created_at": T0 + timedelta(minutes=n),
    }
    values.update(changes)
    return ApiKey(**values)


def test_api_keys_are_stored_found_by_hash_listed_and_saved(migrated: Engine) -> None:
    store = SqlApiKeyStore(migrated)
    for n in (2, 1):
        store.add(key(n))
    assert store.get("k1") == key(1)
    assert store.by_hash(f"{2:064x}") == key(2)
    assert store.by_hash("f" * 64) is None
    assert [k.id for k in store.list()] == ["k1", "k2"]
    revoked = attrs.evolve(key(1), revoked_at=T0 + timedelta(days=1), name="old")
    store.save(revoked)
    assert store.get("k1") == revoked
    store.mark_used("k1", T0 + timedelta(days=2))
    assert store.get("k1") == attrs.evolve(revoked, last_used_at=T0 + timedelta(days=2))
    with pytest.raises(Conflict):
        store.add(key(3, key_hash=f"{2:064x}"))
    with pytest.raises(NotFound):
        store.save(key(9))


# Audit log


def test_audit_rows_hold_what_was_appended(migrated: Engine) -> None:
    log = SqlAuditLog(migrated)
    appended = event(1, actor=None, detail={"jti": "jti-9", "reason": "wrong_password"})
    log.append(appended)
    (stored,), total = log.query(AuditQuery())
    assert total == 1
    assert stored.id is not None
    assert stored == attrs.evolve(appended, id=stored.id)
    with migrated.connect() as conn:
        row = conn.execute(select(audit_log)).one()
    assert row.at == T0 + timedelta(seconds=1)
    assert (row.action, row.outcome, row.actor, row.ip) == (
        "authn_login",
        "success",
        None,
        "203.0.113.7",
    )
    assert json.loads(row.detail) == {"jti": "jti-9", "reason": "wrong_password"}


def test_audit_query_is_newest_first_filtered_and_paginated(migrated: Engine) -> None:
    log = SqlAuditLog(migrated)
    for n in range(1, 13):
        log.append(event(n, outcome=Outcome.FAILURE if n % 4 == 0 else Outcome.SUCCESS))
    log.append(event(12, action="role_change"))  # the same instant: the later row first
    page, total = log.query(AuditQuery(limit=3))
    assert total == 13
    assert [(e.action, e.request_id) for e in page] == [
        ("role_change", "req-12"),
        ("authn_login", "req-12"),
        ("authn_login", "req-11"),
    ]
    page, _ = log.query(AuditQuery(offset=11, limit=5))
    assert [e.request_id for e in page] == ["req-2", "req-1"]
    cases: list[tuple[AuditQuery, list[int]]] = [
        (AuditQuery(actor="u1"), [11, 9, 7, 5, 3, 1]),
        (AuditQuery(action="role_change"), [12]),
        (AuditQuery(target_type="user", target_id="u0"), [12, 12, 9, 6, 3]),
        (AuditQuery(outcome=Outcome.FAILURE), [12, 8, 4]),
        (
            AuditQuery(since=T0 + timedelta(seconds=3), until=T0 + timedelta(seconds=6)),
            [5, 4, 3],
        ),
        (AuditQuery(actor="u0", outcome=Outcome.FAILURE, action="authn_login"), [12, 8, 4]),
        (AuditQuery(actor="nobody"), []),
    ]
    for query, expected in cases:
        found, count = log.query(query)
        assert [e.detail["n"] for e in found] == expected, query
        assert count == len(expected)


def test_long_client_text_is_cut_to_its_column(migrated: Engine) -> None:
    log = SqlAuditLog(migrated)
    log.append(event(1, user_agent="A" * 5000, target_id="t" * 600))
    (stored,), _ = log.query(AuditQuery())
    assert len(stored.user_agent) == 512
    assert stored.user_agent.endswith("…")
    assert len(stored.target_id) == 512


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET action = 'nothing_happened'",
        "UPDATE audit_log SET outcome = 'success' WHERE outcome = 'failure'",
        "DELETE FROM audit_log",
        "DELETE FROM audit_log WHERE action = 'authn_login'",
    ],
)
def test_the_database_refuses_to_change_or_delete_audit_rows(
    migrated: Engine, statement: str
) -> None:
    log = SqlAuditLog(migrated)
    log.append(event(1, outcome=Outcome.FAILURE))
    log.append(event(2))
    before = log.query(AuditQuery())
    with pytest.raises(DBAPIError, match="append-only"), migrated.begin() as conn:
        conn.execute(text(statement))
    assert log.query(AuditQuery()) == before
    log.append(event(3))  # appending still works
    assert log.query(AuditQuery())[1] == 3


def test_postgresql_refuses_truncate_of_the_audit_log(migrated_postgres: Engine) -> None:
    SqlAuditLog(migrated_postgres).append(event(1))
    with pytest.raises(DBAPIError, match="append-only"), migrated_postgres.begin() as conn:
        conn.execute(text("TRUNCATE audit_log"))
    with migrated_postgres.connect() as conn:
        assert conn.execute(select(func.count()).select_from(audit_log)).scalar_one() == 1


@pytest.fixture
def app_role(migrated_postgres: Engine) -> Iterator[str]:
    """A role granted what the migration's docstring tells operators to grant the app."""
    role = f"pricing_app_{uuid.uuid4().hex[:8]}"
    with migrated_postgres.begin() as conn:
        conn.execute(text(f"CREATE ROLE {role} NOLOGIN"))
        conn.execute(text(f"GRANT SELECT, INSERT ON audit_log TO {role}"))
    yield role
    with migrated_postgres.begin() as conn:
        conn.execute(text(f"REVOKE ALL ON audit_log FROM {role}"))
        conn.execute(text(f"DROP ROLE {role}"))


def test_the_app_role_may_insert_and_read_but_not_change_audit_rows(
    migrated_postgres: Engine, app_role: str
) -> None:
    SqlAuditLog(migrated_postgres).append(event(1))
    values = "(at, action, target_type, target_id, outcome, ip, user_agent, request_id, detail)"
    row = "(now(), 'x', '', '', 'success', '', '', '', '{}')"
    with migrated_postgres.begin() as conn:
        conn.execute(text(f"SET LOCAL ROLE {app_role}"))
        conn.execute(text(f"INSERT INTO audit_log {values} VALUES {row}"))  # identity: no grant
        assert conn.execute(text("SELECT count(*) FROM audit_log")).scalar_one() == 2
    for statement in ("UPDATE audit_log SET action = 'y'", "DELETE FROM audit_log"):
        with migrated_postgres.connect() as conn:
            conn.execute(text(f"SET ROLE {app_role}"))
            with pytest.raises(DBAPIError, match="permission denied"):
                conn.execute(text(statement))
            conn.rollback()
            conn.execute(text("RESET ROLE"))
