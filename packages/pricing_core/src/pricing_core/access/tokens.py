"""Token lifetimes and login throttling: the numbers of access.md as validated values."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import attrs

from pricing_core.access.ports import FailureCounter
from pricing_core.errors import TooManyAttempts

__all__ = [
    "MAX_LEEWAY",
    "MAX_REUSE_GRACE",
    "REVOCATION_MARGIN",
    "ThrottlePolicy",
    "TokenPolicy",
]

MAX_LEEWAY = timedelta(seconds=30)  # checklist 7: expiry tolerance of at most 30 s
# A replayed refresh token inside the grace window is refused without revoking its family;
# a long window would let a thief who replays quickly escape detection.
MAX_REUSE_GRACE = timedelta(seconds=30)
# A revocation outlives its token's `exp` by more than any leeway, so a logged-out token is
# not accepted again in the seconds a verifier still tolerates it. Every store applies it.
REVOCATION_MARGIN = timedelta(seconds=60)


def _positive(_: object, attribute: attrs.Attribute[timedelta], value: timedelta) -> None:
    if value <= timedelta(0):
        raise ValueError(f"{attribute.name} must be positive, got {value}")


def _grace(_: object, attribute: attrs.Attribute[timedelta], value: timedelta) -> None:
    if not timedelta(0) <= value <= MAX_REUSE_GRACE:
        raise ValueError(f"{attribute.name} must be between 0 and {MAX_REUSE_GRACE}, got {value}")


def _leeway(_: object, attribute: attrs.Attribute[timedelta], value: timedelta) -> None:
    if not timedelta(0) <= value <= MAX_LEEWAY:
        raise ValueError(f"{attribute.name} must be between 0 and {MAX_LEEWAY}, got {value}")


@attrs.frozen(kw_only=True)
class TokenPolicy:
    """How long access tokens and refresh token families live.

    `leeway` is the clock skew a token codec tolerates on `exp` and `iat`; it must be at least
    one second, because an access token issued in the second in which the user's sessions
    were revoked carries the next whole second as its `iat` (see `sessions.py`).

    `reuse_grace` is how long after a refresh token's use presenting it again counts as a
    lost race (clients that refresh from several tabs or retries at once) rather than a
    replay, as long as its successor has not been used: such a refusal leaves the family
    alive. Later, or once the family has moved on, a replay revokes the family.
    """

    access_ttl: timedelta = attrs.field(default=timedelta(minutes=15), validator=_positive)
    refresh_idle: timedelta = attrs.field(default=timedelta(days=14), validator=_positive)
    refresh_absolute: timedelta = attrs.field(default=timedelta(days=30), validator=_positive)
    leeway: timedelta = attrs.field(default=timedelta(seconds=10), validator=_leeway)
    reuse_grace: timedelta = attrs.field(default=timedelta(seconds=5), validator=_grace)

    def __attrs_post_init__(self) -> None:
        if self.refresh_idle > self.refresh_absolute:
            raise ValueError("refresh_idle must not exceed refresh_absolute")
        if self.leeway < timedelta(seconds=1):
            raise ValueError("leeway must be at least one second")


def _at_least_one(_: object, attribute: attrs.Attribute[int], value: int) -> None:
    if value < 1:
        raise ValueError(f"{attribute.name} must be at least 1, got {value}")


@attrs.frozen(kw_only=True)
class ThrottlePolicy:
    """Login failures allowed per account and per client address within a sliding window.

    With the defaults, 5 failures for one account within 15 minutes lock that account's
    logins until the oldest of them is 15 minutes old; 20 failures from one address lock
    that address the same way. The counter's window must equal `window`.
    """

    account_limit: int = attrs.field(default=5, validator=_at_least_one)
    ip_limit: int = attrs.field(default=20, validator=_at_least_one)
    window: timedelta = attrs.field(default=timedelta(minutes=15), validator=_positive)

    @staticmethod
    def account_key(email: str) -> str:
        return f"login:account:{email}"

    @staticmethod
    def ip_key(ip: str) -> str:
        return f"login:ip:{ip}"

    def check(self, counter: FailureCounter, *, email: str, ip: str, now: datetime) -> None:
        """Raise TooManyAttempts before any password is hashed when either key is locked."""
        waits = [
            self._wait(counter, self.account_key(email), self.account_limit, now),
            self._wait(counter, self.ip_key(ip), self.ip_limit, now) if ip else None,
        ]
        locked = [w for w in waits if w is not None]
        if locked:
            raise TooManyAttempts(retry_after=max(locked))

    def record_failure(
        self, counter: FailureCounter, *, email: str, ip: str, now: datetime
    ) -> None:
        counter.add_failure(self.account_key(email), now)
        if ip:
            counter.add_failure(self.ip_key(ip), now)

    def record_success(self, counter: FailureCounter, *, email: str) -> None:
        # Only the account is cleared: one good login must not reset an address's count.
        counter.clear(self.account_key(email))

    def _wait(self, counter: FailureCounter, key: str, limit: int, now: datetime) -> int | None:
        count, oldest_leaves = counter.failures(key, now)
        if count < limit:
            return None
        leaves = oldest_leaves or now + self.window
        # Whole seconds, rounded up and never 0: a client that waits that long is let in.
        return max(1, math.ceil((leaves - now).total_seconds()))
