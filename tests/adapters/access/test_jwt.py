"""Access tokens (checklist 6-10): pinned algorithms, required claims, audience and issuer,
token type, key ids and rotation; the key set format and the local key file."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import stat
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pricing_adapters.pyjwt_tokens import (
    AUDIENCE,
    ISSUER,
    REQUIRED_CLAIMS,
    JwtKey,
    KeySet,
    KeySetError,
    PyJwtTokenCodec,
    load_or_create_local_key,
    parse_key_set,
)
from pricing_core.access.ports import AccessClaims
from pricing_core.access.roles import Role
from pricing_core.errors import InvalidToken

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
SECRET_1 = b"1" * 16 + os.urandom(16)
SECRET_2 = os.urandom(32)
ED_PRIVATE = Ed25519PrivateKey.generate()
ED_PRIVATE_PEM = ED_PRIVATE.private_bytes(
    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
).decode()
ED_PUBLIC_PEM = (
    ED_PRIVATE.public_key()
    .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    .decode()
)
K1 = JwtKey.hs256("k1", SECRET_1)
K2 = JwtKey.hs256("k2", SECRET_2)
E1 = JwtKey.ed25519("e1", private=ED_PRIVATE)


def claims(**changes: Any) -> AccessClaims:
    values: dict[str, Any] = {
        "sub": "user-1",
        "role": Role.HR_ANALYST,
        "jti": "jti-1",
        "iat": NOW,
        "exp": NOW + timedelta(minutes=15),
        "sid": "family-1",
    }
    values.update(changes)
    return AccessClaims(**values)


def payload(**changes: Any) -> dict[str, Any]:
    """A complete, valid claim set; a change to None removes that claim."""
    values: dict[str, Any] = {
        "sub": "user-1",
        "role": "HR_ANALYST",
        "jti": "jti-1",
        "iat": int(NOW.timestamp()),
        "exp": int((NOW + timedelta(minutes=15)).timestamp()),
        "iss": ISSUER,
        "aud": AUDIENCE,
        "typ": "access",
    }
    values.update(changes)
    return {k: v for k, v in values.items() if v is not None}


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def forge(header: dict[str, Any], body: dict[str, Any], sign: Callable[[bytes], bytes]) -> str:
    """A token built by hand, as an attacker would: any header, any signature."""
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(body).encode())}"
    return f"{signing_input}.{b64(sign(signing_input.encode()))}"


def hmac_with(secret: bytes, digest: Any = hashlib.sha256) -> Callable[[bytes], bytes]:
    return lambda data: hmac.new(secret, data, digest).digest()


def signed(body: dict[str, Any], key: JwtKey = K2) -> str:
    """A properly signed token with any claims (PyJWT as the issuer would use it)."""
    return jwt.encode(body, key.signing_key, algorithm=key.algorithm, headers={"kid": key.kid})  # type: ignore[arg-type]


@pytest.fixture
def codec() -> PyJwtTokenCodec:
    return PyJwtTokenCodec(KeySet.of(K2, K1, E1))


def refused(codec: PyJwtTokenCodec, token: str) -> InvalidToken:
    with pytest.raises(InvalidToken) as caught:
        codec.decode(token, NOW)
    assert caught.value.message == "invalid or expired token"  # one message for every cause
    return caught.value


# Round trips


@pytest.mark.parametrize("signing", [K2, E1], ids=["HS256", "EdDSA"])
def test_a_token_round_trips_with_every_claim(signing: JwtKey) -> None:
    codec = PyJwtTokenCodec(KeySet.of(signing))
    token = codec.encode(claims())
    assert codec.decode(token, NOW) == claims()
    header = jwt.get_unverified_header(token)
    assert header["kid"] == signing.kid
    assert header["alg"] == signing.algorithm
    body = jwt.decode(token, options={"verify_signature": False})
    assert set(body) == {*REQUIRED_CLAIMS, "sid"}
    assert (body["typ"], body["iss"], body["aud"]) == ("access", ISSUER, AUDIENCE)


def test_sid_is_optional() -> None:
    codec = PyJwtTokenCodec(KeySet.of(K2))
    assert codec.decode(codec.encode(claims(sid=None)), NOW).sid is None


def test_a_token_decodes_until_exp_plus_leeway_and_not_after() -> None:
    codec = PyJwtTokenCodec(KeySet.of(K2), leeway=timedelta(seconds=5))
    token = codec.encode(claims())
    exp = NOW + timedelta(minutes=15)
    assert codec.decode(token, exp + timedelta(seconds=4)).sub == "user-1"
    with pytest.raises(InvalidToken):
        codec.decode(token, exp + timedelta(seconds=5))


def test_a_verified_token_is_remembered_by_its_exact_text_only(
    codec: PyJwtTokenCodec, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = codec.encode(claims())
    assert codec.decode(token, NOW).sub == "user-1"
    # Remembered: the signature is not checked again (PyJWT is not called) ...
    monkeypatch.setattr(jwt, "decode", lambda *_, **__: pytest.fail("verified twice"))
    assert codec.decode(token, NOW).sub == "user-1"
    monkeypatch.undo()
    # ... but a token differing in one signature character is a new token, checked afresh.
    head, body, signature = token.split(".")
    other = "A" if signature[0] != "A" else "B"
    refused(codec, f"{head}.{body}.{other}{signature[1:]}")


def test_the_remembered_tokens_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("pricing_adapters.pyjwt_tokens.VERIFIED_CACHE_SIZE", 3)
    codec = PyJwtTokenCodec(KeySet.of(K2))
    for n in range(10):
        codec.decode(codec.encode(claims(jti=f"token-{n}")), NOW)
    assert len(codec._verified) == 3


# Checklist 6: the algorithm is pinned per kid


@pytest.mark.parametrize("kid", ["k2", "e1"])
@pytest.mark.parametrize("alg", ["none", "None", "NONE"])
def test_alg_none_is_refused(codec: PyJwtTokenCodec, kid: str, alg: str) -> None:
    refused(codec, forge({"alg": alg, "kid": kid, "typ": "JWT"}, payload(), lambda _: b""))


def test_hs256_signed_with_the_eddsa_public_key_is_refused(codec: PyJwtTokenCodec) -> None:
    """Algorithm confusion: the public key is public, so an HMAC over it proves nothing."""
    for kid in ("e1", "k2", "k1"):
        token = forge({"alg": "HS256", "kid": kid}, payload(), hmac_with(ED_PUBLIC_PEM.encode()))
        refused(codec, token)


def test_another_hmac_algorithm_with_the_right_secret_is_refused(codec: PyJwtTokenCodec) -> None:
    for alg, digest in (("HS512", hashlib.sha512), ("HS384", hashlib.sha384)):
        token = forge({"alg": alg, "kid": "k2"}, payload(), hmac_with(SECRET_2, digest))
        refused(codec, token)
    # The control: the same forging with HS256 is accepted, so the refusals are about alg.
    good = forge({"alg": "HS256", "kid": "k2"}, payload(), hmac_with(SECRET_2))
    assert codec.decode(good, NOW).sub == "user-1"


def test_eddsa_signature_under_an_hs256_kid_is_refused(codec: PyJwtTokenCodec) -> None:
    refused(codec, forge({"alg": "EdDSA", "kid": "k2"}, payload(), ED_PRIVATE.sign))


def test_a_tampered_payload_or_garbage_is_refused(codec: PyJwtTokenCodec) -> None:
    header, _, signature = codec.encode(claims()).split(".")
    forged_body = b64(json.dumps(payload(role="ADMIN")).encode())
    refused(codec, f"{header}.{forged_body}.{signature}")
    for garbage in ("", "abc", "a.b.c", "a.b", "....", "e30.e30.", "\x00" * 10):
        refused(codec, garbage)


# Checklist 7 and 8: every claim required; only access tokens


@pytest.mark.parametrize("claim", REQUIRED_CLAIMS)
def test_a_token_missing_one_required_claim_is_refused(codec: PyJwtTokenCodec, claim: str) -> None:
    assert codec.decode(signed(payload()), NOW).sub == "user-1"
    error = refused(codec, signed(payload(**{claim: None})))
    assert claim in error.reason


def test_an_expired_token_beyond_the_leeway_is_refused() -> None:
    codec = PyJwtTokenCodec(KeySet.of(K2), leeway=timedelta(seconds=30))
    exp = int(NOW.timestamp())
    issued = exp - 900
    assert codec.decode(signed(payload(iat=issued, exp=exp - 29)), NOW).sub == "user-1"
    refused(codec, signed(payload(iat=issued, exp=exp - 30)))
    refused(codec, signed(payload(iat=issued, exp=exp - 3600)))


@pytest.mark.parametrize("seconds", [31, 60, 3600])
def test_a_leeway_over_30_seconds_is_refused(seconds: int) -> None:
    with pytest.raises(ValueError, match="leeway"):
        PyJwtTokenCodec(KeySet.of(K2), leeway=timedelta(seconds=seconds))


@pytest.mark.parametrize(
    "change",
    [
        {"iat": int(NOW.timestamp()) + 3600},  # issued in the future
        {"nbf": int(NOW.timestamp()) + 3600},
        {"exp": int(NOW.timestamp()) - 1, "iat": int(NOW.timestamp())},  # exp before iat
        {"exp": "tomorrow"},
        {"exp": True},
        {"exp": 10**20},
        {"sub": 42},
        {"sub": ""},
        {"jti": ["a"]},
        {"role": "ROOT"},
        {"role": ["ADMIN"]},
        {"sid": ""},
    ],
    ids=repr,
)
def test_malformed_claims_are_refused(codec: PyJwtTokenCodec, change: dict[str, Any]) -> None:
    refused(codec, signed(payload(**change)))


@pytest.mark.parametrize("typ", ["refresh", "Access", "id", ""])
def test_a_token_of_another_type_is_refused(codec: PyJwtTokenCodec, typ: str) -> None:
    refused(codec, signed(payload(typ=typ)))


def test_an_opaque_refresh_token_is_refused_as_an_access_token(codec: PyJwtTokenCodec) -> None:
    refused(codec, "Zb3kq9W0uQm5Xr1pLh2T8yVnC4sJdE6fA7gB0iK1oMw")


# Checklist 9: audience and issuer


@pytest.mark.parametrize(
    "aud", ["billing-api", AUDIENCE + "x", AUDIENCE[:-1], [AUDIENCE, "billing-api"], [], ""]
)
def test_another_audience_is_refused(codec: PyJwtTokenCodec, aud: Any) -> None:
    refused(codec, signed(payload(aud=aud)))


@pytest.mark.parametrize("iss", ["http", "https", "https://pricing.example", "", ["http"]])
def test_another_issuer_is_refused_including_a_prefix_of_it(iss: Any) -> None:
    """CVE-2024-53861: PyJWT 2.10.0 accepted any substring of the expected issuer."""
    codec = PyJwtTokenCodec(KeySet.of(K2), issuer="https://pricing.example.com")
    good = signed(payload(iss="https://pricing.example.com"))
    assert codec.decode(good, NOW).sub == "user-1"
    refused(codec, forge({"alg": "HS256", "kid": "k2"}, payload(iss=iss), hmac_with(SECRET_2)))


# Checklist 10: key ids and rotation


@pytest.mark.parametrize("header", [{"kid": "k9"}, {}, {"kid": 2}, {"kid": None}, {"kid": ""}])
def test_an_unknown_or_missing_kid_is_refused_before_any_key_is_used(
    codec: PyJwtTokenCodec, header: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_verification(*_: object, **__: object) -> None:
        raise AssertionError("no key may be tried for an unknown kid")

    monkeypatch.setattr(jwt, "decode", no_verification)
    token = forge({"alg": "HS256", **header}, payload(), hmac_with(SECRET_2))
    assert refused(codec, token).reason in {"unknown key id", "malformed token"}


def test_rotation_keeps_the_previous_key_verifying_until_it_is_removed() -> None:
    before = PyJwtTokenCodec(KeySet.of(K1))
    during = PyJwtTokenCodec(KeySet.of(K2, K1))
    after = PyJwtTokenCodec(KeySet.of(K2))
    old_token = before.encode(claims())
    new_token = during.encode(claims(jti="jti-2"))
    assert jwt.get_unverified_header(new_token)["kid"] == "k2"
    assert during.decode(old_token, NOW).jti == "jti-1"
    assert during.decode(new_token, NOW).jti == "jti-2"
    assert after.decode(new_token, NOW).jti == "jti-2"
    refused(after, old_token)


def test_the_same_kid_with_another_secret_does_not_verify() -> None:
    token = PyJwtTokenCodec(KeySet.of(K2)).encode(claims())
    refused(PyJwtTokenCodec(KeySet.of(JwtKey.hs256("k2", os.urandom(32)))), token)


# PRICING_JWT_KEYS


def key_set_json(**keys: dict[str, Any]) -> str:
    entries = keys or {
        "k2": {"alg": "HS256", "secret": b64(SECRET_2)},
        "k1": {"alg": "HS256", "secret": base64.urlsafe_b64encode(SECRET_1).decode()},
        "e1": {"alg": "EdDSA", "private_pem": ED_PRIVATE_PEM, "public_pem": ED_PUBLIC_PEM},
        "e0": {"alg": "EdDSA", "public_pem": ED_PUBLIC_PEM},
    }
    return json.dumps({"signing": "k2", "keys": entries})


def test_parse_key_set_reads_hs256_and_eddsa_keys() -> None:
    keys = parse_key_set(key_set_json())
    assert keys.signing_kid == "k2"
    assert {kid: k.algorithm for kid, k in keys.keys.items()} == {
        "k2": "HS256",
        "k1": "HS256",
        "e1": "EdDSA",
        "e0": "EdDSA",
    }
    assert keys.keys["k1"].verifying_key == SECRET_1
    assert keys.keys["e0"].signing_key is None  # a retired EdDSA key only verifies
    codec = PyJwtTokenCodec(keys)
    for signer in (K1, E1):
        assert codec.decode(PyJwtTokenCodec(KeySet.of(signer)).encode(claims()), NOW).sub


def test_an_eddsa_signing_key_signs() -> None:
    text = json.dumps(
        {"signing": "e1", "keys": {"e1": {"alg": "EdDSA", "private_pem": ED_PRIVATE_PEM}}}
    )
    codec = PyJwtTokenCodec(parse_key_set(text))
    token = codec.encode(claims())
    assert jwt.get_unverified_header(token)["alg"] == "EdDSA"
    assert PyJwtTokenCodec(KeySet.of(K2, E1)).decode(token, NOW) == claims()


OTHER_PUBLIC_PEM = (
    Ed25519PrivateKey.generate()
    .public_key()
    .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    .decode()
)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("not json " + b64(SECRET_2), "JSON"),
        ("[]", "signing"),
        (json.dumps({"signing": "k2", "keys": {}}), "k2"),
        (key_set_json(k1={"alg": "HS256", "secret": b64(SECRET_2)}), "'k2'"),
        (key_set_json(k2={"alg": "HS256", "secret": b64(os.urandom(31))}), "32"),
        (key_set_json(k2={"alg": "HS256", "secret": "not base64 !!" + b64(SECRET_2)}), "base64"),
        (key_set_json(k2={"alg": "HS256", "secret": 12345}), "base64"),
        (key_set_json(k2={"alg": "none", "secret": b64(SECRET_2)}), "alg"),
        (key_set_json(k2={"alg": "RS256", "secret": b64(SECRET_2)}), "alg"),
        (key_set_json(k2={"alg": "HS256", "secret": b64(SECRET_2), "sekret": "x"}), "unknown"),
        (key_set_json(k2={"alg": "EdDSA", "public_pem": ED_PUBLIC_PEM}), "cannot sign"),
        (key_set_json(k2={"alg": "EdDSA"}), "private_pem or public_pem"),
        (key_set_json(k2={"alg": "EdDSA", "private_pem": "-----BEGIN"}), "PEM"),
        (
            key_set_json(
                k2={"alg": "EdDSA", "private_pem": ED_PRIVATE_PEM, "public_pem": OTHER_PUBLIC_PEM}
            ),
            "public half",
        ),
        (key_set_json(**{"k 2": {"alg": "HS256", "secret": b64(SECRET_2)}}), "key id"),
    ],
)
def test_an_unusable_key_set_is_refused_without_showing_secrets(text: str, problem: str) -> None:
    with pytest.raises(KeySetError, match=problem) as caught:
        parse_key_set(text)
    assert b64(SECRET_2) not in str(caught.value)
    assert caught.value.__cause__ is None  # a JSON error would carry the whole document


# The local key file (the embedded default)


def test_the_local_key_is_created_once_with_mode_0600(tmp_path: Path) -> None:
    path = tmp_path / "data" / "jwt-key.json"
    first = load_or_create_local_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert first.signing.algorithm == "HS256"
    assert len(first.signing.verifying_key) >= 32  # type: ignore[arg-type]
    second = load_or_create_local_key(path)
    assert second.signing_kid == first.signing_kid
    assert second.signing.verifying_key == first.signing.verifying_key
    token = PyJwtTokenCodec(first).encode(claims())
    assert PyJwtTokenCodec(second).decode(token, NOW) == claims()
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left


def test_processes_starting_together_share_one_key(tmp_path: Path) -> None:
    path = tmp_path / "jwt-key.json"
    kids: list[str] = []
    barrier = threading.Barrier(8)

    def start() -> None:
        barrier.wait()
        kids.append(load_or_create_local_key(path).signing_kid)

    threads = [threading.Thread(target=start) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(kids) == 8
    assert len(set(kids)) == 1


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660, 0o606])
def test_a_key_file_readable_or_writable_by_others_is_refused(tmp_path: Path, mode: int) -> None:
    path = tmp_path / "jwt-key.json"
    load_or_create_local_key(path)
    path.chmod(mode)
    with pytest.raises(KeySetError, match=f"{mode:04o}"):
        load_or_create_local_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == mode  # refused, not silently repaired


def test_a_symlinked_key_file_is_refused(tmp_path: Path) -> None:
    real = tmp_path / "elsewhere.json"
    load_or_create_local_key(real)
    link = tmp_path / "jwt-key.json"
    link.symlink_to(real)
    with pytest.raises(OSError):
        load_or_create_local_key(link)


def test_memory_mode_signs_with_a_key_of_its_own_and_writes_nothing(tmp_path: Path) -> None:
    from pricing_adapters.bootstrap import build_container
    from pricing_adapters.settings import Settings

    data = tmp_path / "data"
    env = {"PRICING_DATABASE_URL": "memory://", "PRICING_DATA_DIR": str(data)}
    first, second = (build_container(Settings.from_env(env)) for _ in range(2))
    assert not data.exists()  # no key file, nor anything else, for a process that keeps nothing
    kid = jwt.get_unverified_header(first.access.authenticate.codec.encode(claims()))["kid"]
    other = jwt.get_unverified_header(second.access.authenticate.codec.encode(claims()))["kid"]
    assert kid.startswith("memory-")
    assert kid != other  # one key per process: nothing of it outlives the process
