"""Accounts, sessions, API keys, audit events and the authenticated principal."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType

import attrs

from pricing_core.access.roles import ROLE_PERMISSIONS, Permission, Role

__all__ = [
    "ApiKey",
    "AuditEvent",
    "AuditQuery",
    "Outcome",
    "Principal",
    "RefreshRecord",
    "TokenPair",
    "User",
    "normalise_email",
]


def normalise_email(email: str) -> str:
    """Emails are unique and compared case-insensitively."""
    return email.strip().lower()


@attrs.frozen(kw_only=True)
class User:
    id: str
    email: str = attrs.field(converter=normalise_email)
    name: str = ""
    role: Role = attrs.field(converter=Role)
    active: bool = True
    password_hash: str = attrs.field(repr=False)
    created_at: datetime
    # Sessions issued before this instant are dead (password, role change, deactivation).
    sessions_valid_after: datetime | None = None
    # Set while the password is a one-time password (made by an administrator): it must be
    # changed before anything else, and it no longer opens the account from this instant.
    one_time_password_expires_at: datetime | None = None

    @property
    def password_change_required(self) -> bool:
        return self.one_time_password_expires_at is not None

    def one_time_password_expired(self, now: datetime) -> bool:
        expires = self.one_time_password_expires_at
        return expires is not None and now >= expires


@attrs.frozen(kw_only=True)
class Principal:
    """Who is calling: a user (by access token) or an API key, with its role."""

    role: Role = attrs.field(converter=Role)
    user_id: str | None = None
    api_key_id: str | None = None
    token_id: str | None = None  # the access token's jti, for logout
    token_expires_at: datetime | None = None
    session_id: str | None = None  # the refresh family the access token came with, for logout
    # Signed in with a one-time password not yet changed: `check_password_changed` refuses.
    password_change_required: bool = False

    def can(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role]

    @property
    def actor(self) -> str:
        """How the audit log names this caller."""
        return self.user_id or f"apikey:{self.api_key_id}"


@attrs.frozen(kw_only=True)
class TokenPair:
    access_token: str = attrs.field(repr=False)
    refresh_token: str = attrs.field(repr=False)
    expires_in: int
    token_type: str = "bearer"  # noqa: S105 - the OAuth token type, not a secret
    password_change_required: bool = False


@attrs.frozen(kw_only=True)
class RefreshRecord:
    """One refresh token, stored only as a hash; a family descends from one login."""

    id: str
    user_id: str
    family_id: str
    token_hash: str = attrs.field(repr=False)
    created_at: datetime
    expires_at: datetime  # idle expiry: this token must be used before it
    family_expires_at: datetime  # absolute expiry of the whole family
    used_at: datetime | None = None
    revoked_at: datetime | None = None
    # The token whose use issued this one (None for a login's): tells a lost race from a replay.
    parent_id: str | None = None


@attrs.frozen(kw_only=True)
class ApiKey:
    id: str
    name: str
    role: Role = attrs.field(converter=Role)
    key_hash: str = attrs.field(repr=False)
    prefix: str  # the first characters, shown so people can tell their keys apart
    created_by: str
    created_at: datetime
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


class Outcome(StrEnum):
    SUCCESS = "success"
    FAILURE = "failure"
    DENIED = "denied"


def _detail(value: Mapping[str, object]) -> Mapping[str, object]:
    return MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class AuditEvent:
    """One append-only audit row; `detail` never holds a password or a raw token."""

    at: datetime
    action: str
    outcome: Outcome = attrs.field(converter=Outcome)
    actor: str | None = None
    target_type: str = ""
    target_id: str = ""
    ip: str = ""
    user_agent: str = ""
    request_id: str = ""
    detail: Mapping[str, object] = attrs.field(factory=dict, converter=_detail)
    id: int | None = None


@attrs.frozen(kw_only=True)
class AuditQuery:
    """Filters for reading the audit log; None means any."""

    actor: str | None = None
    action: str | None = None
    target_type: str | None = None
    target_id: str | None = None
    outcome: Outcome | None = None
    since: datetime | None = None
    until: datetime | None = None
    offset: int = 0
    limit: int = attrs.field(
        default=50, validator=[attrs.validators.ge(1), attrs.validators.le(200)]
    )
