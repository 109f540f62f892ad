"""One error root for the domain; every error carries a code and the data that explains it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = [
    "AccessError",
    "Conflict",
    "CounterStoreUnavailable",
    "CurrencyMismatch",
    "EmailTaken",
    "Forbidden",
    "InvalidRequest",
    "InvalidToken",
    "NoMarketData",
    "NotAuthenticated",
    "NotFound",
    "OneTimePasswordExpired",
    "PasswordChangeRequired",
    "PercentileUnavailable",
    "PricingError",
    "RevocationUnavailable",
    "ServiceUnavailable",
    "SourceKindConflict",
    "SourceNotFound",
    "TooManyAttempts",
    "UnknownArea",
    "UnknownSource",
    "UnknownVersion",
]


class PricingError(Exception):
    """Root of every domain error: a stable `code`, a readable message and details."""

    code = "pricing_error"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details: Mapping[str, Any] = details

    def as_dict(self) -> dict[str, Any]:
        """The `{"code", "message", ...details}` body that pricing-method.md specifies."""
        return {"code": self.code, "message": self.message, **self.details}


class InvalidRequest(PricingError, ValueError):
    """A request field is missing, malformed or out of range; `field` names it.

    It is also a ValueError, so value constructors can raise it from their validators.
    """

    code = "invalid_request"

    def __init__(self, field: str, problem: str, value: object = None) -> None:
        shown = "" if value is None else f" (got {value!r})"
        super().__init__(f"{field}: {problem}{shown}", field=field, problem=problem)
        self.field = field
        self.problem = problem


class NoMarketData(PricingError):
    """No match found an eligible cut."""

    code = "no_market_data"


class PercentileUnavailable(PricingError):
    """The target percentile lies outside the composite percentiles that exist."""

    code = "percentile_unavailable"

    def __init__(self, percentile: int, available: Sequence[int]) -> None:
        names = ", ".join(f"P{p}" for p in available) or "none"
        super().__init__(
            f"P{percentile} cannot be interpolated: the market has {names}",
            percentile=percentile,
            available=list(available),
        )


class UnknownArea(PricingError):
    """An area code or name that matches no area, or a name that matches several."""

    code = "unknown_area"

    def __init__(self, area: str, candidates: Sequence[tuple[str, str]] = ()) -> None:
        if candidates:
            listed = "; ".join(f"{code} {name}" for code, name in candidates)
            message = f"area {area!r} matches several areas: {listed}"
        else:
            message = f"unknown area {area!r}"
        super().__init__(
            message, area=area, candidates=[{"code": c, "name": n} for c, n in candidates]
        )
        self.candidates = tuple(candidates)


class UnknownSource(PricingError):
    """A market data source that is not loaded, or has no active version."""

    code = "unknown_source"

    def __init__(self, source: str) -> None:
        super().__init__(f"unknown market data source {source!r}", source=source)


class CurrencyMismatch(PricingError):
    """The contributing cuts are in different currencies and no FX rate is configured."""

    code = "currency_mismatch"

    def __init__(self, currencies: Sequence[str]) -> None:
        super().__init__(
            "cannot combine cuts in different currencies: " + ", ".join(sorted(currencies)),
            currencies=sorted(currencies),
        )


class AccessError(PricingError):
    """Root of authentication and authorisation errors."""

    code = "access_error"


class NotAuthenticated(AccessError):
    """No credentials, or credentials that do not verify: one message for every cause."""

    code = "not_authenticated"

    def __init__(self, message: str = "authentication required", **details: Any) -> None:
        super().__init__(message, **details)


class InvalidToken(NotAuthenticated):
    """A token that is malformed, expired, revoked, of the wrong type or from a wrong key."""

    code = "invalid_token"

    def __init__(self, reason: str = "invalid or expired token") -> None:
        # The reason stays out of the message shown to the caller; logs may keep it.
        super().__init__("invalid or expired token")
        self.reason = reason


class Forbidden(AccessError):
    """Authenticated, but the role lacks the permission (or the four-eyes rule forbids it)."""

    code = "forbidden"


class OneTimePasswordExpired(NotAuthenticated):
    """The right one-time password, past its expiry: it no longer opens the account.

    Only someone who knows the password learns this, so it may say what happened.
    """

    code = "one_time_password_expired"

    def __init__(self) -> None:
        super().__init__(
            "this one-time password has expired; ask an administrator to reset your password"
        )


class PasswordChangeRequired(Forbidden):
    """The caller signed in with a one-time password and has not changed it yet."""

    code = "password_change_required"

    def __init__(self) -> None:
        super().__init__(
            "change your one-time password first: until then you may only read your own "
            "account, change your password and log out"
        )


class NotFound(PricingError):
    """No such object (or not one the caller may see)."""

    code = "not_found"


class Conflict(PricingError):
    """The request clashes with what is stored (an email taken, a state that forbids it)."""

    code = "conflict"


class SourceNotFound(NotFound):
    """The source a command or a path names is not loaded."""

    def __init__(self, source: str) -> None:
        super().__init__(f"unknown market data source {source!r}", source=source)


class UnknownVersion(NotFound):
    """The source has no version with this label."""

    def __init__(self, source: str, version: str) -> None:
        super().__init__(f"{source} has no version {version!r}", source=source, version=version)


class SourceKindConflict(Conflict):
    """A file of one kind imported under the name of a source of another kind."""

    code = "source_kind_conflict"

    def __init__(self, source: str, kind: str, attempted: str) -> None:
        super().__init__(
            f"source {source!r} holds {kind} data; a {attempted} file cannot be imported "
            "under its name (choose another source name)",
            source=source,
            kind=kind,
            attempted=attempted,
        )


class EmailTaken(Conflict):
    """An account with this (case-insensitive) email already exists."""

    code = "email_taken"

    def __init__(self) -> None:
        # The address is left out: the caller typed it, and logs need not keep it.
        super().__init__("an account with this email already exists")


class TooManyAttempts(AccessError):
    """Throttled: too many recent failures for this account or address."""

    code = "too_many_attempts"

    def __init__(self, retry_after: int) -> None:
        super().__init__("too many attempts; try again later", retry_after=retry_after)
        self.retry_after = retry_after


class ServiceUnavailable(PricingError):
    """A dependency needed to decide safely did not answer (fail closed)."""

    code = "service_unavailable"


class RevocationUnavailable(ServiceUnavailable):
    """Neither the revocation cache nor the database answered: refuse rather than guess."""

    code = "revocation_unavailable"


class CounterStoreUnavailable(ServiceUnavailable):
    """The shared counter store (Redis) did not answer; the caller's policy decides whether
    that allows (a per-process fallback) or refuses."""

    code = "counter_store_unavailable"
