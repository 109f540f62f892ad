"""In-memory access stores: the embedded default with no database, and test gear.

The users, refresh tokens, API keys and the audit log take part in a MemoryUnitOfWork (their
own unless the composition root shares one): its lock guards them, and each change journals
how to take it back.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

import attrs

from pricing_adapters.memory_uow import MemoryUnitOfWork, put
from pricing_core.access.model import (
    ApiKey,
    AuditEvent,
    AuditQuery,
    RefreshRecord,
    User,
    normalise_email,
)
from pricing_core.access.ports import (
    ApiKeyStore,
    AuditLog,
    FailureCounter,
    RefreshTokenStore,
    RevocationStore,
    UserStore,
)
from pricing_core.access.tokens import REVOCATION_MARGIN
from pricing_core.errors import EmailTaken

__all__ = [
    "InMemoryApiKeyStore",
    "InMemoryAuditLog",
    "InMemoryFailureCounter",
    "InMemoryRefreshTokenStore",
    "InMemoryRevocationStore",
    "InMemoryUserStore",
]

# Every store takes one lock per call: the API runs use cases in worker threads.


@attrs.define
class InMemoryUserStore(UserStore):
    _by_id: dict[str, User] = attrs.field(factory=dict)
    uow: MemoryUnitOfWork = attrs.field(factory=MemoryUnitOfWork, kw_only=True)

    @property
    def _lock(self) -> threading.RLock:
        return self.uow.lock

    def add(self, user: User) -> None:
        with self._lock:
            if any(u.email == user.email for u in self._by_id.values()):
                raise EmailTaken()
            put(self.uow, self._by_id, user.id, user)

    def get(self, user_id: str) -> User | None:
        with self._lock:
            return self._by_id.get(user_id)

    def by_email(self, email: str) -> User | None:
        wanted = normalise_email(email)
        with self._lock:
            return next((u for u in self._by_id.values() if u.email == wanted), None)

    def save(self, user: User) -> None:
        with self._lock:
            put(self.uow, self._by_id, user.id, user)

    def list(self, offset: int, limit: int) -> tuple[Sequence[User], int]:
        with self._lock:
            users = sorted(self._by_id.values(), key=lambda u: (u.created_at, u.id))
        return users[offset : offset + limit], len(users)


@attrs.define
class InMemoryRefreshTokenStore(RefreshTokenStore):
    _by_id: dict[str, RefreshRecord] = attrs.field(factory=dict)
    uow: MemoryUnitOfWork = attrs.field(factory=MemoryUnitOfWork, kw_only=True)

    @property
    def _lock(self) -> threading.RLock:
        return self.uow.lock

    def add(self, record: RefreshRecord) -> None:
        with self._lock:
            put(self.uow, self._by_id, record.id, record)

    def by_hash(self, token_hash: str) -> RefreshRecord | None:
        with self._lock:
            return next((r for r in self._by_id.values() if r.token_hash == token_hash), None)

    def use(self, record_id: str, now: datetime) -> bool:
        # Check and mark under one lock: of concurrent uses exactly one sees the token unused.
        with self._lock:
            record = self._by_id.get(record_id)
            if record is None or record.used_at is not None or record.revoked_at is not None:
                return False
            put(self.uow, self._by_id, record_id, attrs.evolve(record, used_at=now))
            return True

    def successor(self, record_id: str) -> RefreshRecord | None:
        with self._lock:
            return next((r for r in self._by_id.values() if r.parent_id == record_id), None)

    def revoke_family(self, family_id: str, now: datetime) -> None:
        self._revoke(lambda r: r.family_id == family_id, now)

    def revoke_user(self, user_id: str, now: datetime) -> None:
        self._revoke(lambda r: r.user_id == user_id, now)

    def records(self) -> list[RefreshRecord]:
        """Every record, for tests that count live tokens."""
        with self._lock:
            return list(self._by_id.values())

    def _revoke(self, matches: Callable[[RefreshRecord], bool], now: datetime) -> None:
        with self._lock:
            for key, record in list(self._by_id.items()):
                if matches(record) and record.revoked_at is None:
                    put(self.uow, self._by_id, key, attrs.evolve(record, revoked_at=now))


@attrs.define
class InMemoryRevocationStore(RevocationStore):
    """Revoked access token ids until their expiry plus REVOCATION_MARGIN; swept now and then."""

    _until: dict[str, datetime] = attrs.field(factory=dict)
    _lock: threading.Lock = attrs.field(factory=threading.Lock)
    _reads: int = 0

    def revoke(self, jti: str, until: datetime) -> None:
        with self._lock:
            kept = until + REVOCATION_MARGIN
            self._until[jti] = max(kept, self._until.get(jti, kept))

    def is_revoked(self, jti: str, now: datetime) -> bool:
        with self._lock:
            self._reads += 1
            if self._reads % _SWEEP_EVERY == 0:
                self._until = {j: u for j, u in self._until.items() if u > now}
            until = self._until.get(jti)
        return until is not None and now < until


_SWEEP_EVERY = 1024  # reads between sweeps: the set stays small without a scan per request


@attrs.define
class InMemoryApiKeyStore(ApiKeyStore):
    _by_id: dict[str, ApiKey] = attrs.field(factory=dict)
    uow: MemoryUnitOfWork = attrs.field(factory=MemoryUnitOfWork, kw_only=True)

    @property
    def _lock(self) -> threading.RLock:
        return self.uow.lock

    def add(self, key: ApiKey) -> None:
        with self._lock:
            put(self.uow, self._by_id, key.id, key)

    def by_hash(self, key_hash: str) -> ApiKey | None:
        with self._lock:
            return next((k for k in self._by_id.values() if k.key_hash == key_hash), None)

    def get(self, key_id: str) -> ApiKey | None:
        with self._lock:
            return self._by_id.get(key_id)

    def list(self) -> Sequence[ApiKey]:
        with self._lock:
            return list(self._by_id.values())

    def save(self, key: ApiKey) -> None:
        with self._lock:
            put(self.uow, self._by_id, key.id, key)

    def mark_used(self, key_id: str, at: datetime) -> None:
        with self._lock:
            key = self._by_id.get(key_id)
            if key is not None:
                put(self.uow, self._by_id, key_id, attrs.evolve(key, last_used_at=at))


@attrs.define
class InMemoryAuditLog(AuditLog):
    """Append-only: events get increasing ids; nothing here changes or removes one.

    `since` is inclusive and `until` exclusive; pages are newest first.
    """

    _events: list[AuditEvent] = attrs.field(factory=list)
    uow: MemoryUnitOfWork = attrs.field(factory=MemoryUnitOfWork, kw_only=True)

    @property
    def _lock(self) -> threading.RLock:
        return self.uow.lock

    def append(self, event: AuditEvent) -> None:
        with self._lock:
            count = len(self._events)
            self._events.append(attrs.evolve(event, id=count + 1))
            self.uow.journal(lambda: self._events.__delitem__(slice(count, None)))

    def query(self, query: AuditQuery) -> tuple[Sequence[AuditEvent], int]:
        with self._lock:
            matching = [e for e in self._events if _matches(e, query)]
        matching.sort(key=lambda e: (e.at, e.id or 0), reverse=True)
        return matching[query.offset : query.offset + query.limit], len(matching)


def _matches(event: AuditEvent, query: AuditQuery) -> bool:
    wanted = {
        "actor": query.actor,
        "action": query.action,
        "target_type": query.target_type,
        "target_id": query.target_id,
        "outcome": query.outcome,
    }
    if any(value is not None and getattr(event, name) != value for name, value in wanted.items()):
        return False
    if query.since is not None and event.at < query.since:
        return False
    return query.until is None or event.at < query.until


@attrs.define
class InMemoryFailureCounter(FailureCounter):
    """Failures per key over a sliding window; keys whose failures all left it are dropped."""

    window: timedelta = timedelta(minutes=15)
    _times: dict[str, deque[datetime]] = attrs.field(factory=dict)
    _lock: threading.Lock = attrs.field(factory=threading.Lock)
    _adds: int = 0

    def failures(self, key: str, now: datetime) -> tuple[int, datetime | None]:
        with self._lock:
            times = self._prune(key, now)
            if not times:
                return 0, None
            return len(times), times[0] + self.window

    def add_failure(self, key: str, now: datetime) -> None:
        with self._lock:
            self._adds += 1
            # Keys that are never asked about again (one-off addresses) would pile up.
            for stale in list(self._times) if self._adds % _SWEEP_EVERY == 0 else [key]:
                self._prune(stale, now)
            self._times.setdefault(key, deque()).append(now)

    def clear(self, key: str) -> None:
        with self._lock:
            self._times.pop(key, None)

    def _prune(self, key: str, now: datetime) -> deque[datetime]:
        times = self._times.get(key, deque())
        while times and times[0] + self.window <= now:
            times.popleft()
        if not times:
            self._times.pop(key, None)
        return times
