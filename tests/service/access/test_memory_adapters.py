"""The in-memory access stores, the system secrets and the shipped password blocklist."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest

from pricing_adapters.access_memory import (
    InMemoryAuditLog,
    InMemoryFailureCounter,
    InMemoryRefreshTokenStore,
    InMemoryUserStore,
)
from pricing_adapters.password_list import load_blocklist
from pricing_adapters.secrets import SystemSecrets
from pricing_core.access.model import AuditEvent, AuditQuery, Outcome, RefreshRecord, User
from pricing_core.access.passwords import PasswordPolicy
from pricing_core.errors import EmailTaken, InvalidRequest
from tests.service.access.conftest import T0


def test_the_blocklist_ships_at_least_ten_thousand_lower_cased_passwords() -> None:
    words = load_blocklist()
    assert len(words) >= 10_000
    assert {"123456", "password", "qwerty", "letmein"} <= words
    assert all(w == w.lower() and w.strip() == w and w for w in words)
    assert not any(w.startswith("#") for w in words)  # the header stays out


@pytest.mark.parametrize("password", ["Password123456789", "qwerty123456789", "LETMEIN!!!!!!!!!!"])
def test_the_shipped_blocklist_rejects_common_passwords(password: str) -> None:
    with pytest.raises(InvalidRequest, match="too common"):
        PasswordPolicy(blocklist=load_blocklist()).check(password, email="x@acme.test")


def test_the_shipped_blocklist_lets_a_passphrase_through() -> None:
    PasswordPolicy(blocklist=load_blocklist()).check("tulip lantern orbit", email="x@acme.test")


def test_system_secrets() -> None:
    secrets = SystemSecrets()
    assert secrets.new_id() != secrets.new_id()
    assert len(secrets.new_id()) == 36
    token = secrets.token(32)
    assert len(token) == 43
    assert token != secrets.token(32)
    assert secrets.digest("abc") == hashlib.sha256(b"abc").hexdigest()


def test_emails_are_unique_regardless_of_case() -> None:
    store = InMemoryUserStore()
    store.add(User(id="1", email="A@x.io", role="VIEWER", password_hash="h", created_at=T0))
    with pytest.raises(EmailTaken):
        store.add(User(id="2", email="a@X.io", role="VIEWER", password_hash="h", created_at=T0))
    found = store.by_email(" A@X.IO ")
    assert found is not None
    assert found.id == "1"


def _record(record_id: str, family: str = "f", user: str = "u") -> RefreshRecord:
    return RefreshRecord(
        id=record_id,
        user_id=user,
        family_id=family,
        token_hash=f"h{record_id}",
        created_at=T0,
        expires_at=T0 + timedelta(days=1),
        family_expires_at=T0 + timedelta(days=2),
    )


def test_a_refresh_token_is_used_once_and_revocation_blocks_use() -> None:
    store = InMemoryRefreshTokenStore()
    for rid, family, user in [("1", "f", "u"), ("2", "f", "u"), ("3", "g", "u"), ("4", "h", "v")]:
        store.add(_record(rid, family, user))
    assert store.use("1", T0)
    assert not store.use("1", T0)
    store.revoke_family("f", T0)
    assert not store.use("2", T0)
    store.revoke_user("u", T0)
    assert not store.use("3", T0)
    assert store.use("4", T0)
    assert store.by_hash("h2") is not None
    assert store.by_hash("nope") is None


def test_the_failure_counter_slides() -> None:
    counter = InMemoryFailureCounter(window=timedelta(minutes=15))
    counter.add_failure("k", T0)
    counter.add_failure("k", T0 + timedelta(minutes=5))
    assert counter.failures("k", T0 + timedelta(minutes=6)) == (2, T0 + timedelta(minutes=15))
    assert counter.failures("k", T0 + timedelta(minutes=15)) == (1, T0 + timedelta(minutes=20))
    assert counter.failures("k", T0 + timedelta(minutes=20)) == (0, None)
    counter.add_failure("k", T0)
    counter.clear("k")
    assert counter.failures("k", T0) == (0, None)
    assert counter.failures("other", T0) == (0, None)


def _event(n: int, **kw: object) -> AuditEvent:
    fields: dict[str, object] = {"action": "a", "outcome": Outcome.SUCCESS, "actor": "u1"}
    fields.update(kw)
    return AuditEvent(at=T0 + timedelta(seconds=n), **fields)  # type: ignore[arg-type]


def test_the_audit_log_appends_and_filters_newest_first() -> None:
    log = InMemoryAuditLog()
    log.append(_event(0))
    log.append(_event(1, action="b", outcome=Outcome.FAILURE, actor="u2"))
    log.append(_event(2, target_type="user", target_id="t"))
    log.append(_event(3))
    events, total = log.query(AuditQuery())
    assert total == 4
    assert [e.id for e in events] == [4, 3, 2, 1]
    assert [e.id for e in log.query(AuditQuery(action="b"))[0]] == [2]
    assert [e.id for e in log.query(AuditQuery(outcome=Outcome.FAILURE))[0]] == [2]
    assert [e.id for e in log.query(AuditQuery(actor="u1"))[0]] == [4, 3, 1]
    assert [e.id for e in log.query(AuditQuery(target_type="user", target_id="t"))[0]] == [3]
    window = AuditQuery(since=T0 + timedelta(seconds=1), until=T0 + timedelta(seconds=3))
    assert [e.id for e in log.query(window)[0]] == [3, 2]
    page, total = log.query(AuditQuery(offset=1, limit=2))
    assert total == 4
    assert [e.id for e in page] == [3, 2]
    assert not hasattr(log, "update")
    assert not hasattr(log, "delete")
