"""Rate-limit values: a quota, a counter store's answer, and the decision on one request."""

from __future__ import annotations

import math
import re

import attrs

from pricing_core.access.model import Principal

__all__ = ["Caller", "Decision", "Limit", "Quota", "QuotaState", "Usage"]

# A policy name is shown as a Structured Fields string in RateLimit-Policy and RateLimit.
_NAME = re.compile(r"[a-z][a-z0-9-]{0,31}")


def _name(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not _NAME.fullmatch(value):
        raise ValueError(f"{attribute.name} must match {_NAME.pattern}, got {value!r}")


_positive = attrs.validators.ge(1)
_not_negative = attrs.validators.ge(0)


@attrs.frozen(kw_only=True)
class Quota:
    """At most `limit` requests per sliding window of `window` seconds.

    `fail_open` says what a request meets when the counter store does not answer at all (no
    fallback either): True lets it through, False refuses it (503) — login and refresh must
    never go unlimited.
    """

    name: str = attrs.field(validator=_name)
    limit: int = attrs.field(validator=_positive)
    window: int = attrs.field(validator=_positive)
    fail_open: bool = True


@attrs.frozen(kw_only=True)
class Limit:
    """A quota applied to one counter key."""

    quota: Quota
    key: str = attrs.field(validator=attrs.validators.min_len(1))


@attrs.frozen(kw_only=True)
class Usage:
    """A counter store's answer to one hit.

    `reset_in`: seconds until the oldest hit counted in the window leaves it (and a slot
    frees). `degraded`: the answer came from this process's fallback, not the shared store.
    """

    allowed: bool
    remaining: int = attrs.field(validator=_not_negative)
    reset_in: float = attrs.field(validator=_not_negative)
    degraded: bool = False


@attrs.frozen(kw_only=True)
class Caller:
    """What a request is counted by: its principal if it has one, else its client address.

    `account` is the account an authentication request names (the email of a login, the
    refresh token of a refresh), for the per-account limit; the core hashes it.
    """

    ip: str
    path: str
    principal: Principal | None = None
    account: str | None = None


@attrs.frozen(kw_only=True)
class QuotaState:
    """One quota after this request: what the RateLimit and RateLimit-Policy fields show."""

    quota: Quota
    allowed: bool
    remaining: int = attrs.field(validator=_not_negative)
    reset_in: int = attrs.field(validator=_not_negative)  # whole seconds, rounded up
    reset_at: int  # epoch seconds, rounded up

    @classmethod
    def of(cls, quota: Quota, usage: Usage, now: float) -> QuotaState:
        return cls(
            quota=quota,
            allowed=usage.allowed,
            remaining=min(usage.remaining, quota.limit),
            reset_in=math.ceil(usage.reset_in),
            reset_at=math.ceil(now + usage.reset_in),
        )


@attrs.frozen(kw_only=True)
class Decision:
    """The answer for one request, from every quota that applies to it.

    The binding quota is the first that refused, or else the one with the fewest requests
    left; `limit`, `remaining` and `reset_at` are its numbers. `retry_after` is 0 when
    allowed, else whole seconds (at least 1, never less than the binding `reset_in`).
    """

    states: tuple[QuotaState, ...] = attrs.field(validator=attrs.validators.min_len(1))
    degraded: bool = False

    @property
    def binding(self) -> QuotaState:
        refused = [s for s in self.states if not s.allowed]
        if refused:
            return refused[0]
        return min(self.states, key=lambda s: s.remaining)

    @property
    def allowed(self) -> bool:
        return all(s.allowed for s in self.states)

    @property
    def limit(self) -> int:
        return self.binding.quota.limit

    @property
    def remaining(self) -> int:
        return self.binding.remaining

    @property
    def reset_at(self) -> int:
        return self.binding.reset_at

    @property
    def retry_after(self) -> int:
        return 0 if self.allowed else max(1, self.binding.reset_in)
