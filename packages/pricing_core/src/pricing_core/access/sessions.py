"""Issuing, rotating and ending sessions: an access token plus a refresh token family."""

from __future__ import annotations

from datetime import datetime, timedelta

import attrs

from pricing_core.access.model import Principal, RefreshRecord, TokenPair, User
from pricing_core.access.ports import (
    AccessClaims,
    RefreshTokenStore,
    RevocationStore,
    Secrets,
    TokenCodec,
)
from pricing_core.access.tokens import TokenPolicy

__all__ = ["REFRESH_TOKEN_BYTES", "Sessions", "end_sessions", "issued_at", "revoke_access_token"]

REFRESH_TOKEN_BYTES = 32


def issued_at(now: datetime, valid_after: datetime | None) -> datetime:
    """The `iat` for a token issued at `now`: whole seconds, as a JWT carries it.

    A token counts as revoked when its `iat` is before the user's `sessions_valid_after`.
    Truncating `now` could put a token issued just after a revocation (in the same second)
    before it, so such a token takes the next whole second instead; codecs tolerate that
    through `TokenPolicy.leeway` (at least one second).
    """
    iat = now.replace(microsecond=0)
    if valid_after is not None and iat < valid_after:
        iat = valid_after.replace(microsecond=0)
        if iat < valid_after:
            iat += timedelta(seconds=1)
    return iat


def end_sessions(user: User, refresh_tokens: RefreshTokenStore, now: datetime) -> User:
    """Kill every session of a user: access tokens issued until now, and refresh tokens.

    Returns the user to save; the access tokens die through `sessions_valid_after`.
    """
    refresh_tokens.revoke_user(user.id, now)
    return attrs.evolve(user, sessions_valid_after=now)


def revoke_access_token(principal: Principal, revocations: RevocationStore) -> None:
    """Deny the caller's access token until no codec would accept it any more.

    A codec accepts a token until `exp` plus its leeway; every revocation store keeps the
    denial REVOCATION_MARGIN past `exp`, longer than the largest leeway allowed.
    """
    if principal.token_id is not None and principal.token_expires_at is not None:
        # The store keeps it REVOCATION_MARGIN past exp, longer than any leeway.
        revocations.revoke(principal.token_id, principal.token_expires_at)


@attrs.frozen(kw_only=True)
class Sessions:
    """Issues token pairs: a new family at login, a rotated token in the family at refresh."""

    codec: TokenCodec
    refresh_tokens: RefreshTokenStore
    secrets: Secrets
    policy: TokenPolicy

    def start(self, user: User, now: datetime) -> TokenPair:
        """A new session (refresh family) for a user who has just proved who they are."""
        family_id = self.secrets.new_id()
        return self._pair(user, family_id, now + self.policy.refresh_absolute, now)

    def rotate(self, used: RefreshRecord, user: User, now: datetime) -> TokenPair:
        """The next token of `used`'s family; the family's absolute expiry does not move."""
        return self._pair(user, used.family_id, used.family_expires_at, now, parent_id=used.id)

    def _pair(
        self,
        user: User,
        family_id: str,
        family_expires_at: datetime,
        now: datetime,
        *,
        parent_id: str | None = None,
    ) -> TokenPair:
        raw = self.secrets.token(REFRESH_TOKEN_BYTES)
        self.refresh_tokens.add(
            RefreshRecord(
                id=self.secrets.new_id(),
                user_id=user.id,
                family_id=family_id,
                token_hash=self.secrets.digest(raw),
                created_at=now,
                expires_at=min(now + self.policy.refresh_idle, family_expires_at),
                family_expires_at=family_expires_at,
                parent_id=parent_id,
            )
        )
        iat = issued_at(now, user.sessions_valid_after)
        claims = AccessClaims(
            sub=user.id,
            role=user.role,
            jti=self.secrets.new_id(),
            iat=iat,
            exp=iat + self.policy.access_ttl,
            sid=family_id,
        )
        return TokenPair(
            access_token=self.codec.encode(claims),
            refresh_token=raw,
            expires_in=int(self.policy.access_ttl.total_seconds()),
            password_change_required=user.password_change_required,
        )
