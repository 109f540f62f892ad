"""Access tokens as JWTs (PyJWT): one pinned algorithm per `kid`, every claim required.

Claims: `sub`, `role`, `iat`, `exp`, `jti`, `iss`, `aud`, `typ` ("access"), all required;
`sid` (the session, i.e. refresh family) when the use case gives one.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from types import MappingProxyType
from typing import Any

import jwt

from pricing_adapters.jwt_keys import (
    JwtKey,
    KeySet,
    KeySetError,
    load_or_create_local_key,
    parse_key_set,
)
from pricing_core.access.ports import AccessClaims, TokenCodec
from pricing_core.access.roles import Role
from pricing_core.errors import InvalidToken

__all__ = [
    "AUDIENCE",
    "DEFAULT_LEEWAY",
    "ISSUER",
    "MAX_LEEWAY",
    "REQUIRED_CLAIMS",
    "JwtKey",
    "KeySet",
    "KeySetError",
    "PyJwtTokenCodec",
    "load_or_create_local_key",
    "parse_key_set",
]

ISSUER = "job-pricing"
AUDIENCE = "job-pricing-api"
ACCESS = "access"
# Tokens are issued and verified by this service's own processes: clocks differ by little.
DEFAULT_LEEWAY = timedelta(seconds=10)
MAX_LEEWAY = timedelta(seconds=30)
REQUIRED_CLAIMS = ("sub", "role", "iat", "exp", "jti", "iss", "aud", "typ")
# Verified payloads by exact token text. A client sends the same access token on every
# request for its 15 minutes; checking its signature and re-parsing it each time would be a
# fifth of an authenticated request. Only the signature check is remembered: expiry,
# revocation, the user and their role are checked on every request.
VERIFIED_CACHE_SIZE = 4096

# Expiry is checked here against the `now` the caller passes (the Clock port), not by PyJWT
# against the system clock; PyJWT checks presence, signature, issuer and audience.
OPTIONS: Any = {
    "require": list(REQUIRED_CLAIMS),
    "verify_signature": True,
    "verify_aud": True,
    "verify_iss": True,
    "verify_exp": False,
    "verify_iat": False,
    "verify_nbf": False,
    "strict_aud": True,
    "enforce_minimum_key_length": True,
}


def _seconds(instant: datetime) -> int:
    if instant.tzinfo is None:
        raise ValueError("token times must be timezone-aware")
    return int(instant.timestamp())


def _instant(payload: Mapping[str, Any], claim: str) -> datetime:
    value = payload[claim]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidToken(f"{claim} is not a number")
    try:  # JSON lets Infinity, NaN and year 300000 through; none of them is a time
        return datetime.fromtimestamp(int(value), UTC)
    except (ValueError, OverflowError, OSError):
        raise InvalidToken(f"{claim} is out of range") from None


def _text(payload: Mapping[str, Any], claim: str) -> str:
    value = payload[claim]
    if not isinstance(value, str) or not value:
        raise InvalidToken(f"{claim} is not a non-empty string")
    return value


class PyJwtTokenCodec(TokenCodec):
    """Signs with the key set's signing key; verifies with the key its `kid` names.

    The header's `alg` chooses nothing: each kid allows exactly its configured algorithm,
    so `none`, HS256 over an EdDSA public key or HS512 under an HS256 kid all fail. A kid
    outside the set fails before any key is touched (there is no lookup by kid elsewhere).
    """

    def __init__(
        self,
        keys: KeySet,
        *,
        issuer: str = ISSUER,
        audience: str = AUDIENCE,
        leeway: timedelta = DEFAULT_LEEWAY,
    ) -> None:
        if not timedelta(0) <= leeway <= MAX_LEEWAY:
            raise ValueError(f"leeway must be between 0 and {MAX_LEEWAY}, got {leeway}")
        if not issuer or not audience:
            raise ValueError("issuer and audience must be non-empty")
        self._keys = keys
        self._issuer = issuer
        self._audience = audience
        self._leeway = leeway
        self._verified: OrderedDict[str, Mapping[str, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def encode(self, claims: AccessClaims) -> str:
        key = self._keys.signing
        payload = {
            "sub": claims.sub,
            "role": claims.role.value,
            "jti": claims.jti,
            "iat": _seconds(claims.iat),
            "exp": _seconds(claims.exp),
            "iss": self._issuer,
            "aud": self._audience,
            "typ": ACCESS,
        }
        if claims.sid is not None:
            payload["sid"] = claims.sid
        assert key.signing_key is not None  # KeySet guarantees its signing key can sign
        headers = {"kid": key.kid}
        return jwt.encode(payload, key.signing_key, algorithm=key.algorithm, headers=headers)

    def _key(self, token: str) -> JwtKey:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise InvalidToken("malformed token") from None
        kid = header.get("kid")
        key = self._keys.keys.get(kid) if isinstance(kid, str) else None
        if key is None:
            raise InvalidToken("unknown key id")
        return key

    def decode(self, token: str, now: datetime) -> AccessClaims:
        if now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        with self._lock:
            payload = self._verified.get(token)
            if payload is not None:
                self._verified.move_to_end(token)
        if payload is None:
            payload = self._verify(token)
            with self._lock:
                self._verified[token] = payload
                if len(self._verified) > VERIFIED_CACHE_SIZE:
                    self._verified.popitem(last=False)
        return self._claims(payload, now)

    def _verify(self, token: str) -> Mapping[str, Any]:
        """The payload of a token whose signature, issuer, audience and claims check out."""
        key = self._key(token)
        try:
            payload = jwt.decode(
                token,
                key.verifying_key,
                algorithms=[key.algorithm],
                audience=self._audience,
                issuer=self._issuer,
                options=OPTIONS,
            )
        except jwt.PyJWTError as error:
            raise InvalidToken(f"{type(error).__name__}: {error}") from None
        return MappingProxyType(payload)  # shared between requests: nobody may change it

    def _claims(self, payload: Mapping[str, Any], now: datetime) -> AccessClaims:
        if payload["typ"] != ACCESS:
            raise InvalidToken("not an access token")
        issued, expires = _instant(payload, "iat"), _instant(payload, "exp")
        if expires <= now - self._leeway:
            raise InvalidToken("expired")
        if issued > now + self._leeway or expires <= issued:
            raise InvalidToken("issued in the future or expiring before issue")
        if "nbf" in payload and _instant(payload, "nbf") > now + self._leeway:
            raise InvalidToken("not yet valid")
        try:
            role = Role(payload["role"])
        except (ValueError, TypeError):
            raise InvalidToken("unknown role") from None
        return AccessClaims(
            sub=_text(payload, "sub"),
            role=role,
            jti=_text(payload, "jti"),
            iat=issued,
            exp=expires,
            sid=_text(payload, "sid") if "sid" in payload else None,
        )
