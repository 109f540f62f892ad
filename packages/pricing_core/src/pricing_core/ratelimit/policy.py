"""Who gets what limit over which window, what is exempt, and how requests are keyed."""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import attrs

from pricing_core.access.model import Principal
from pricing_core.access.roles import Role
from pricing_core.ratelimit.model import Caller, Limit, Quota

__all__ = [
    "ANONYMOUS_QUOTA",
    "AUTH_ACCOUNT_QUOTA",
    "AUTH_IP_QUOTA",
    "DEFAULT_AUTH_PATHS",
    "DEFAULT_EXEMPT_PATHS",
    "DEFAULT_ROLE_LIMITS",
    "USER_QUOTA",
    "RateLimitPolicy",
    "ip_key",
]

# access.md: per hour; None is unlimited.
DEFAULT_ROLE_LIMITS: Mapping[Role, int | None] = MappingProxyType(
    {Role.ADMIN: None, Role.HR_MANAGER: 1000, Role.HR_ANALYST: 500, Role.VIEWER: 100}
)
# Probes, scrapes and the API documentation; a path is exempt when it is one of these or
# lies below one.
DEFAULT_EXEMPT_PATHS = ("/health", "/ready", "/metrics", "/schema")
# Routes that check a password or spend a refresh token: limited per account and per address
# as well, before any hash is computed.
DEFAULT_AUTH_PATHS = frozenset(
    {"/api/v1/auth/login", "/api/v1/auth/refresh", "/api/v1/auth/me/change-password"}
)
# Policy names, as RateLimit-Policy shows them.
USER_QUOTA = "peruser"
ANONYMOUS_QUOTA = "perip"
AUTH_IP_QUOTA = "auth-ip"
AUTH_ACCOUNT_QUOTA = "auth-account"

_MAX_KEY = 64  # a client address that is not an IP (a test client's name) is cut to this


def ip_key(ip: str) -> str:
    """The counter key part for a client address.

    IPv6 clients are counted per /64: one subscriber usually holds a whole /64 and could
    otherwise take a fresh address per request. IPv4-mapped IPv6 counts as the IPv4 address.
    """
    try:
        address = ipaddress.ip_address(ip.strip())
    except ValueError:
        return ip.strip()[:_MAX_KEY] or "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def _digest(value: str) -> str:
    # Accounts are named by what the caller typed (an email, a token): hashed, so that it sits
    # in no counter store in clear and its length is not the caller's to choose.
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _limits(_: object, attribute: attrs.Attribute[Any], value: Mapping[Role, int | None]) -> None:
    missing = set(Role) - set(value)
    if missing:
        raise ValueError(f"{attribute.name} lacks {sorted(missing)}")
    for role, limit in value.items():
        if limit is not None and limit < 1:
            raise ValueError(f"{attribute.name}[{role}] must be at least 1 or None, got {limit}")


def _optional_positive(_: object, attribute: attrs.Attribute[Any], value: int | None) -> None:
    if value is not None and value < 1:
        raise ValueError(f"{attribute.name} must be at least 1 or None, got {value}")


def _frozen_limits(value: Mapping[Any, int | None]) -> Mapping[Role, int | None]:
    """Roles given by member or by name (`"VIEWER"`)."""
    return MappingProxyType({Role(role): limit for role, limit in value.items()})


@attrs.frozen(kw_only=True)
class RateLimitPolicy:
    """access.md's rate limits as a value.

    Every request that is not exempt counts against one quota: its user's or API key's
    (by role, `peruser`), or its client address's when anonymous (`perip`), over a sliding
    `window`. Authentication routes also count against `auth_limit` per `auth_window`, per
    client address and per account; those quotas fail closed. `enabled=False` limits nothing.
    """

    role_limits: Mapping[Role, int | None] = attrs.field(
        default=DEFAULT_ROLE_LIMITS, converter=_frozen_limits, validator=_limits
    )
    anonymous_limit: int | None = attrs.field(default=50, validator=_optional_positive)
    window: int = attrs.field(default=3600, validator=attrs.validators.ge(1))
    auth_limit: int | None = attrs.field(default=10, validator=_optional_positive)
    auth_window: int = attrs.field(default=60, validator=attrs.validators.ge(1))
    exempt_paths: tuple[str, ...] = DEFAULT_EXEMPT_PATHS
    auth_paths: frozenset[str] = DEFAULT_AUTH_PATHS
    enabled: bool = True

    def exempt(self, path: str) -> bool:
        """Whether `path` is never limited (probes, scrapes, docs)."""
        path = path.rstrip("/") or "/"
        return any(path == p or path.startswith(p.rstrip("/") + "/") for p in self.exempt_paths)

    def quota_for(self, principal: Principal | None) -> Quota | None:
        """The general quota of a caller; None when unlimited."""
        if principal is None:
            limit, name = self.anonymous_limit, ANONYMOUS_QUOTA
        else:
            limit, name = self.role_limits[principal.role], USER_QUOTA
        return None if limit is None else Quota(name=name, limit=limit, window=self.window)

    def limits_for(self, caller: Caller) -> tuple[Limit, ...]:
        """Every quota the request counts against, in the order they are checked."""
        if not self.enabled or self.exempt(caller.path):
            return ()
        found: list[Limit] = []
        general = self.quota_for(caller.principal)
        if general is not None:
            found.append(Limit(quota=general, key=self.subject_key(caller)))
        if self.auth_limit is not None and caller.path.rstrip("/") in self.auth_paths:
            found.extend(self._auth_limits(caller, self.auth_limit))
        return tuple(found)

    @staticmethod
    def subject_key(caller: Caller) -> str:
        """`user:<id>`, `apikey:<id>`, or `ip:<address>` for an anonymous request."""
        principal = caller.principal
        if principal is not None and principal.user_id is not None:
            return f"user:{principal.user_id}"
        if principal is not None and principal.api_key_id is not None:
            return f"apikey:{principal.api_key_id}"
        return f"ip:{ip_key(caller.ip)}"

    def _auth_limits(self, caller: Caller, limit: int) -> list[Limit]:
        def quota(name: str) -> Quota:
            return Quota(name=name, limit=limit, window=self.auth_window, fail_open=False)

        found = [Limit(quota=quota(AUTH_IP_QUOTA), key=f"auth-ip:{ip_key(caller.ip)}")]
        account = caller.account
        if account is None and caller.principal is not None:
            account = caller.principal.actor
        if account:
            found.append(
                Limit(quota=quota(AUTH_ACCOUNT_QUOTA), key=f"auth-account:{_digest(account)}")
            )
        return found
