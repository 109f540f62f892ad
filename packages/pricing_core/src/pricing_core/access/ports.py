"""What the access use cases need from the outside world."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

import attrs

from pricing_core.access.model import ApiKey, AuditEvent, AuditQuery, RefreshRecord, User
from pricing_core.access.roles import Role

__all__ = [
    "AccessClaims",
    "ApiKeyStore",
    "AuditLog",
    "FailureCounter",
    "PasswordHasher",
    "RefreshTokenStore",
    "RevocationStore",
    "Secrets",
    "TokenCodec",
    "UserStore",
]


class PasswordHasher(Protocol):
    """Slow, salted password hashing (argon2id)."""

    def hash(self, password: str) -> str: ...

    def verify(self, password_hash: str, password: str) -> bool:
        """True when the password matches; False (never an exception) when it does not."""
        ...

    def needs_rehash(self, password_hash: str) -> bool:
        """True when the hash was made with weaker parameters than the current ones."""
        ...


@attrs.frozen(kw_only=True)
class AccessClaims:
    """What an access token says; the codec adds and checks `iss`, `aud` and `typ`."""

    sub: str
    role: Role = attrs.field(converter=Role)
    jti: str
    iat: datetime
    exp: datetime
    # The refresh family (login session) this token was issued with: logout ends that session
    # only. A codec that does not carry it (JWT `sid`) decodes None, and logout then ends all
    # of the user's sessions.
    sid: str | None = None


class TokenCodec(Protocol):
    """Signs and verifies access tokens (JWT) with a key set; errors raise InvalidToken."""

    def encode(self, claims: AccessClaims) -> str: ...

    def decode(self, token: str, now: datetime) -> AccessClaims: ...


class Secrets(Protocol):
    """Unpredictable values: ids, refresh tokens, API keys, generated passwords."""

    def new_id(self) -> str: ...

    def token(self, nbytes: int = 32) -> str:
        """URL-safe random text carrying `nbytes` of randomness."""
        ...

    def digest(self, token: str) -> str:
        """The stored form of a token: SHA-256 hex (tokens are random, so no salt is needed)."""
        ...


class UserStore(Protocol):
    def add(self, user: User) -> None:
        """Raises EmailTaken (a Conflict) when the (case-insensitive) email exists."""
        ...

    def get(self, user_id: str) -> User | None: ...

    def by_email(self, email: str) -> User | None: ...

    def save(self, user: User) -> None: ...

    def list(self, offset: int, limit: int) -> tuple[Sequence[User], int]:
        """A page of users by creation time, and the total count."""
        ...


class RefreshTokenStore(Protocol):
    def add(self, record: RefreshRecord) -> None: ...

    def by_hash(self, token_hash: str) -> RefreshRecord | None: ...

    def use(self, record_id: str, now: datetime) -> bool:
        """Mark an unused, unrevoked token used, atomically; False when another use won."""
        ...

    def successor(self, record_id: str) -> RefreshRecord | None:
        """The token issued when `record_id` was used (its `parent_id` names it), if any."""
        ...

    def revoke_family(self, family_id: str, now: datetime) -> None: ...

    def revoke_user(self, user_id: str, now: datetime) -> None: ...


class RevocationStore(Protocol):
    """Access token ids revoked before they expire (logout). Fails closed when unreachable:
    `is_revoked` raises RevocationUnavailable rather than guessing."""

    def revoke(self, jti: str, until: datetime) -> None: ...

    def is_revoked(self, jti: str, now: datetime) -> bool: ...


class ApiKeyStore(Protocol):
    def add(self, key: ApiKey) -> None: ...

    def by_hash(self, key_hash: str) -> ApiKey | None: ...

    def get(self, key_id: str) -> ApiKey | None: ...

    def list(self) -> Sequence[ApiKey]: ...

    def save(self, key: ApiKey) -> None: ...

    def mark_used(self, key_id: str, at: datetime) -> None:
        """Set `last_used_at` alone: a revocation saved meanwhile must not be overwritten."""
        ...


class AuditLog(Protocol):
    """Append-only: there is no way to change or remove an event through this port."""

    def append(self, event: AuditEvent) -> None: ...

    def query(self, query: AuditQuery) -> tuple[Sequence[AuditEvent], int]:
        """Matching events, newest first, one page of them, and how many match in all."""
        ...


class FailureCounter(Protocol):
    """Counts failures per key in a window (login throttling: per account and per IP)."""

    def failures(self, key: str, now: datetime) -> tuple[int, datetime | None]:
        """Failures in the window and when the oldest of them leaves it."""
        ...

    def add_failure(self, key: str, now: datetime) -> None: ...

    def clear(self, key: str) -> None: ...
