"""Checklist 6–10 over HTTP: forged and altered access tokens, token types, audience and
issuer, and key rotation across restarts with a new key set."""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
import pytest

from pricing_core.access.model import User
from pricing_core.access.roles import Role
from tests.e2e.access.conftest import (
    AUDIENCE,
    ED_PRIVATE,
    ED_PUBLIC_PEM,
    HS_SECRET,
    ISSUER,
    Api,
    b64url,
    bearer,
    hs_entry,
    key_set,
    open_api,
    settings_for,
)

ME = "/api/v1/auth/me"
REFRESH = "/api/v1/auth/refresh"


def claims(user: User, now: datetime, **changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "sub": user.id,
        "role": str(user.role),
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(minutes=15)).timestamp()),
        "jti": str(uuid.uuid4()),
        "iss": ISSUER,
        "aud": AUDIENCE,
        "typ": "access",
    }
    base.update(changes)
    return base


def hs256(payload: dict[str, Any], kid: str = "k1", secret: bytes = HS_SECRET) -> str:
    return jwt.encode(payload, secret, algorithm="HS256", headers={"kid": kid})


def raw_token(header: dict[str, Any], payload: dict[str, Any], sign: Any) -> str:
    """A JWS put together by hand, for what PyJWT refuses to sign."""
    signing_input = ".".join(
        b64url(json.dumps(part, separators=(",", ":")).encode()) for part in (header, payload)
    )
    return f"{signing_input}.{b64url(sign(signing_input.encode()))}"


def status(api: Api, token: str) -> int:
    return api.client.get(ME, headers=bearer(token)).status_code


@pytest.fixture
def viewer(api: Api) -> User:
    return api.add_user(Role.VIEWER)


def now_of(api: Api) -> datetime:
    assert api.clock is not None
    return api.clock.now()


def test_tokens_forged_with_the_test_keys_are_accepted(api: Api, viewer: User) -> None:
    """The control for the refusals below: a token built the right way passes."""
    payload = claims(viewer, now_of(api))
    assert status(api, hs256(payload)) == 200
    assert (
        status(api, jwt.encode(payload, ED_PRIVATE, algorithm="EdDSA", headers={"kid": "e1"}))
        == 200
    )


def forged(name: str, payload: dict[str, Any]) -> str:
    if name == "alg=none under an HS256 kid":
        return raw_token({"alg": "none", "typ": "JWT", "kid": "k1"}, payload, lambda _: b"")
    if name == "alg=none under an EdDSA kid":
        return raw_token({"alg": "none", "typ": "JWT", "kid": "e1"}, payload, lambda _: b"")
    if name == "HS256 keyed with the EdDSA public key":
        key = ED_PUBLIC_PEM.encode()
        return raw_token(
            {"alg": "HS256", "typ": "JWT", "kid": "e1"},
            payload,
            lambda data: hmac.new(key, data, hashlib.sha256).digest(),
        )
    if name == "HS512 under an HS256 kid":
        return raw_token(
            {"alg": "HS512", "typ": "JWT", "kid": "k1"},
            payload,
            lambda data: hmac.new(HS_SECRET, data, hashlib.sha512).digest(),
        )
    if name == "HS256 with a guessed secret":
        return hs256(payload, secret=b"x" * 32)
    raise AssertionError(name)


@pytest.mark.parametrize(
    "name",
    [
        "alg=none under an HS256 kid",
        "alg=none under an EdDSA kid",
        "HS256 keyed with the EdDSA public key",
        "HS512 under an HS256 kid",
        "HS256 with a guessed secret",
    ],
)
def test_algorithm_allowlist_refuses_forgeries(api: Api, viewer: User, name: str) -> None:
    response = api.client.get(ME, headers=bearer(forged(name, claims(viewer, now_of(api)))))
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_token"


@pytest.mark.parametrize("claim", ["sub", "role", "iat", "exp", "jti", "iss", "aud", "typ"])
def test_each_required_claim_missing_is_refused(api: Api, viewer: User, claim: str) -> None:
    payload = claims(viewer, now_of(api))
    del payload[claim]
    assert status(api, hs256(payload)) == 401


def test_expiry_is_enforced_beyond_the_leeway(api: Api) -> None:
    _, tokens = api.session()
    token = tokens["access_token"]
    assert api.clock is not None
    api.clock.advance(minutes=15, seconds=5)  # past exp, within the 10 s leeway
    assert status(api, token) == 200
    api.clock.advance(seconds=6)  # 11 s past exp
    assert status(api, token) == 401
    assert status(api, hs256(claims(api.add_user(), now_of(api) - timedelta(minutes=16)))) == 401


def test_refresh_and_access_tokens_are_not_interchangeable(api: Api) -> None:
    _, tokens = api.session()
    assert status(api, tokens["refresh_token"]) == 401
    as_refresh = api.client.post(REFRESH, json={"refresh_token": tokens["access_token"]})
    assert as_refresh.status_code == 401
    typed_refresh = hs256(claims(api.add_user(), now_of(api), typ="refresh"))
    assert status(api, typed_refresh) == 401
    # Neither refusal spent anything: the pair still works as intended.
    assert status(api, tokens["access_token"]) == 200
    assert (
        api.client.post(REFRESH, json={"refresh_token": tokens["refresh_token"]}).status_code == 200
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"aud": "another-service"},
        {"aud": [AUDIENCE, "another-service"]},
        {"iss": "http"},
        {"iss": "https://evil.example"},
    ],
    ids=["other aud", "aud list", "iss=http", "other iss"],
)
def test_other_audience_or_issuer_is_refused(
    api: Api, viewer: User, changes: dict[str, Any]
) -> None:
    assert status(api, hs256(claims(viewer, now_of(api), **changes))) == 401


def test_key_rotation_keeps_old_tokens_during_the_overlap_only(
    tmp_path: Path, sqlite_url: str, password_hash: str
) -> None:
    """Three deployments of one database: k1 only; k2 signing with k1 still verifying; k2 only."""
    k1, k2 = hs_entry(HS_SECRET), hs_entry(b"k2-secret-for-tests-only-32-bytes-long!!")

    def deploy(keys: str) -> Any:
        env = {"PRICING_JWT_KEYS": keys}
        return open_api(settings_for(tmp_path, sqlite_url, **env), password_hash)

    first = deploy(key_set("k1", k1=k1))
    api = next(first)
    user = api.add_user()
    old = api.login(user.email)["access_token"]
    assert jwt.get_unverified_header(old)["kid"] == "k1"
    next(first, None)

    overlap = deploy(key_set("k2", k2=k2, k1=k1))
    api = next(overlap)
    assert status(api, old) == 200
    new = api.login(user.email)["access_token"]
    assert jwt.get_unverified_header(new)["kid"] == "k2"
    unknown = hs256(claims(user, api.container.clock.now()), kid="k9")
    assert status(api, unknown) == 401
    next(overlap, None)

    retired = deploy(key_set("k2", k2=k2))
    api = next(retired)
    assert status(api, old) == 401
    assert status(api, new) == 200
    next(retired, None)
