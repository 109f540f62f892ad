"""Exchanging a refresh token for a new pair: single use, rotated, reuse revokes the family."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NoReturn

import attrs

from pricing_core.access.audit import Auditor, RequestInfo
from pricing_core.access.model import Outcome, RefreshRecord, TokenPair
from pricing_core.access.ports import UserStore
from pricing_core.access.sessions import Sessions
from pricing_core.errors import InvalidToken
from pricing_core.ports import Clock

__all__ = ["Refresh", "lost_race"]

# How much of a token's hash an audit row may show: enough to match rows, useless to replay.
HASH_PREFIX = 12


def lost_race(
    record: RefreshRecord, successor: RefreshRecord | None, now: datetime, grace: timedelta
) -> bool:
    """Whether presenting the spent token `record` again is a lost race, not a replay.

    It is when the token was used less than `grace` ago and the family has not moved past
    that use: the token it was exchanged for (`successor`, None while the winner is still
    issuing it) is unused. A replay later than that, or of an older ancestor, is not.
    """
    if record.used_at is None:
        return False
    recent = now - record.used_at < grace
    return recent and (successor is None or successor.used_at is None)


@attrs.frozen(kw_only=True)
class Refresh:
    """A refresh token in, a new access token and the family's next refresh token out.

    Every refusal is the same InvalidToken. Presenting a token that was already used is
    taken as theft (RFC 9700 §4.14.2): the whole family, the newest token included, is
    revoked and an `authn_token_reuse` row is written. Of concurrent refreshes with one token,
    the store's atomic `use` lets exactly one through; the others are refused without
    revoking the family, whether they found the token unused or already spent by the winner
    within the policy's `reuse_grace` (`lost_race`): the winner's new session lives.
    """

    users: UserStore
    sessions: Sessions
    auditor: Auditor
    clock: Clock

    def __call__(self, refresh_token: str, info: RequestInfo) -> TokenPair:
        now = self.clock.now()
        digest = self.sessions.secrets.digest(refresh_token)
        store = self.sessions.refresh_tokens
        record = store.by_hash(digest) if refresh_token else None
        if record is None:
            self._refuse(None, "unknown", info, {"hash_prefix": digest[:HASH_PREFIX]})
        if record.used_at is not None:
            if lost_race(record, store.successor(record.id), now, self.sessions.policy.reuse_grace):
                self._refuse(record, "concurrent_use", info)
            store.revoke_family(record.family_id, now)
            self.auditor.record(
                "authn_token_reuse",
                Outcome.FAILURE,
                info,
                actor=record.user_id,
                target_type="refresh_family",
                target_id=record.family_id,
                detail={"token_id": record.id, "used_at": record.used_at.isoformat()},
            )
            raise InvalidToken("refresh token reused")
        if record.revoked_at is not None:
            self._refuse(record, "revoked", info)
        if now >= record.family_expires_at:
            self._refuse(record, "absolute_expiry", info)
        if now >= record.expires_at:
            self._refuse(record, "idle_expiry", info)
        user = self.users.get(record.user_id)
        if user is None or not user.active:
            store.revoke_family(record.family_id, now)
            self._refuse(record, "inactive_user", info)
        if user.sessions_valid_after is not None and record.created_at < user.sessions_valid_after:
            self._refuse(record, "sessions_revoked", info)
        if user.one_time_password_expired(now):
            self._refuse(record, "one_time_password_expired", info)
        if not store.use(record.id, now):
            self._refuse(record, "concurrent_use", info)
        return self.sessions.rotate(record, user, now)

    def _refuse(
        self,
        record: RefreshRecord | None,
        reason: str,
        info: RequestInfo,
        detail: dict[str, object] | None = None,
    ) -> NoReturn:
        self.auditor.record(
            "authn_refresh",
            Outcome.FAILURE,
            info,
            actor=None if record is None else record.user_id,
            target_type="refresh_family",
            target_id="" if record is None else record.family_id,
            detail={"reason": reason, **(detail or {})},
        )
        raise InvalidToken(f"refresh token refused: {reason}")
