"""JWT key sets: `PRICING_JWT_KEYS` parsing and the embedded default's local key file.

`PRICING_JWT_KEYS` is one JSON object; `signing` names the key new tokens are signed with,
and every key in `keys` verifies (the older ones stay during a rotation overlap)::

    {"signing": "k2",
     "keys": {
       "k2": {"alg": "HS256", "secret": "<base64url of at least 32 random bytes>"},
       "k1": {"alg": "HS256", "secret": "..."},
       "e1": {"alg": "EdDSA", "private_pem": "-----BEGIN PRIVATE KEY-----...",
              "public_pem": "-----BEGIN PUBLIC KEY-----..."}}}

A key id is 1-64 of `A-Z a-z 0-9 . _ -`. An EdDSA (Ed25519) key needs `private_pem` to sign
and `public_pem` (or the private key it derives from) to verify; a retired EdDSA key may keep
only `public_pem`. Make an HS256 secret with
`python -c "import secrets; print(secrets.token_urlsafe(32))"`. Errors never show a secret.
"""

from __future__ import annotations

import binascii
import contextlib
import json
import os
import re
import secrets
import stat
from base64 import b64decode, urlsafe_b64encode
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

__all__ = [
    "ALGORITHMS",
    "MIN_HMAC_BYTES",
    "JwtKey",
    "KeySet",
    "KeySetError",
    "load_or_create_local_key",
    "parse_key_set",
]

ALGORITHMS = ("HS256", "EdDSA")
MIN_HMAC_BYTES = 32
KID = re.compile(r"[A-Za-z0-9._-]{1,64}")
FIELDS = {"HS256": {"alg", "secret"}, "EdDSA": {"alg", "private_pem", "public_pem"}}


class KeySetError(ValueError):
    """A key set or key file that cannot be used; the message names the key, not its secret."""


@attrs.frozen(kw_only=True)
class JwtKey:
    """One key: its id, the one algorithm it may be used with, and its key material."""

    kid: str = attrs.field(validator=attrs.validators.matches_re(KID))
    algorithm: str = attrs.field(validator=attrs.validators.in_(ALGORITHMS))
    verifying_key: bytes | Ed25519PublicKey = attrs.field(repr=False)
    signing_key: bytes | Ed25519PrivateKey | None = attrs.field(default=None, repr=False)

    @classmethod
    def hs256(cls, kid: str, secret: bytes) -> JwtKey:
        if len(secret) < MIN_HMAC_BYTES:
            raise KeySetError(f"key {kid!r}: an HS256 secret needs {MIN_HMAC_BYTES}+ bytes")
        return cls(kid=kid, algorithm="HS256", verifying_key=secret, signing_key=secret)

    @classmethod
    def ed25519(
        cls,
        kid: str,
        private: Ed25519PrivateKey | None = None,
        public: Ed25519PublicKey | None = None,
    ) -> JwtKey:
        derived = private.public_key() if private is not None else None
        if public is None and derived is None:
            raise KeySetError(f"key {kid!r}: an EdDSA key needs private_pem or public_pem")
        if public is not None and derived is not None and _raw(public) != _raw(derived):
            raise KeySetError(f"key {kid!r}: public_pem is not the private key's public half")
        verifying = public if public is not None else derived
        assert verifying is not None  # one of the two exists, checked above
        return cls(kid=kid, algorithm="EdDSA", verifying_key=verifying, signing_key=private)


def _raw(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _frozen(keys: Mapping[str, JwtKey]) -> Mapping[str, JwtKey]:
    return MappingProxyType(dict(keys))


@attrs.frozen(kw_only=True)
class KeySet:
    """The signing key and every key that still verifies, by `kid`."""

    signing_kid: str
    keys: Mapping[str, JwtKey] = attrs.field(converter=_frozen)

    def __attrs_post_init__(self) -> None:
        for kid, key in self.keys.items():
            if kid != key.kid:
                raise KeySetError(f"key {kid!r} is filed under another id ({key.kid!r})")
        signing = self.keys.get(self.signing_kid)
        if signing is None or signing.signing_key is None:
            raise KeySetError(f"signing key {self.signing_kid!r} is missing or cannot sign")

    @classmethod
    def of(cls, signing: JwtKey, *verifying: JwtKey) -> KeySet:
        """`signing` signs; it and the `verifying` keys verify."""
        return cls(signing_kid=signing.kid, keys={k.kid: k for k in (signing, *verifying)})

    @property
    def signing(self) -> JwtKey:
        return self.keys[self.signing_kid]


def _secret(kid: str, text: object) -> bytes:
    if not isinstance(text, str):
        raise KeySetError(f"key {kid!r}: secret must be base64url text")
    try:
        bare = text.rstrip("=")  # padding is optional
        return b64decode(bare + "=" * (-len(bare) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raise KeySetError(f"key {kid!r}: secret is not valid base64url") from None


def _pem(kid: str, entry: Mapping[str, Any], field: str, private: bool) -> Any:
    text = entry.get(field)
    if text is None:
        return None
    try:
        data = str(text).encode()
        key: Any = (
            serialization.load_pem_private_key(data, password=None)
            if private
            else serialization.load_pem_public_key(data)
        )
    except (ValueError, TypeError):
        raise KeySetError(f"key {kid!r}: {field} is not a readable PEM key") from None
    wanted = Ed25519PrivateKey if private else Ed25519PublicKey
    if not isinstance(key, wanted):
        raise KeySetError(f"key {kid!r}: {field} is not an Ed25519 key")
    return key


def _key(kid: object, entry: object) -> JwtKey:
    if not isinstance(kid, str) or not KID.fullmatch(kid):
        raise KeySetError(f"key id {kid!r}: use 1-64 of A-Z a-z 0-9 . _ -")
    if not isinstance(entry, dict) or entry.get("alg") not in FIELDS:
        raise KeySetError(f"key {kid!r}: alg must be one of {', '.join(ALGORITHMS)}")
    unknown = set(entry) - FIELDS[entry["alg"]]
    if unknown:
        raise KeySetError(f"key {kid!r}: unknown fields {sorted(unknown)}")
    if entry["alg"] == "HS256":
        return JwtKey.hs256(kid, _secret(kid, entry.get("secret")))
    return JwtKey.ed25519(
        kid, _pem(kid, entry, "private_pem", True), _pem(kid, entry, "public_pem", False)
    )


def parse_key_set(text: str) -> KeySet:
    """The key set in `PRICING_JWT_KEYS` (format in this module's docstring)."""
    try:
        document = json.loads(text)
    except ValueError:
        # `from None`: the decode error keeps the whole document, secrets included.
        raise KeySetError("PRICING_JWT_KEYS is not valid JSON") from None
    if not isinstance(document, dict) or not isinstance(document.get("keys"), dict):
        raise KeySetError('PRICING_JWT_KEYS needs {"signing": KID, "keys": {KID: {...}}}')
    keys = [_key(kid, entry) for kid, entry in document["keys"].items()]
    signing = document.get("signing")
    if not isinstance(signing, str):
        raise KeySetError("PRICING_JWT_KEYS: signing must name one of the keys")
    return KeySet(signing_kid=signing, keys={k.kid: k for k in keys})


def _read_private(path: Path) -> KeySet:
    # O_NOFOLLOW and fstat: the file checked is the file read, and no symlink is followed.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "r", encoding="utf-8") as file:
        mode = os.fstat(file.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise KeySetError(f"{path} is not a regular file")
        # Windows has no such permission bits; the user's profile folder protects it there.
        if os.name != "nt" and mode & 0o077:
            raise KeySetError(
                f"{path} is accessible to group or others (mode {stat.S_IMODE(mode):04o}): "
                f"refusing to use it; run `chmod 600 {path}` if it is yours"
            )
        return parse_key_set(file.read())


def _create(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    kid = f"local-{secrets.token_hex(4)}"
    secret = urlsafe_b64encode(secrets.token_bytes(MIN_HMAC_BYTES)).decode().rstrip("=")
    text = json.dumps({"signing": kid, "keys": {kid: {"alg": "HS256", "secret": secret}}})
    # Written in full under a private name, then linked into place: a process starting at the
    # same moment sees no file or a complete one, and the first link wins (no overwrite).
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(temporary, flags, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        with contextlib.suppress(FileExistsError):  # another process was first: use theirs
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def load_or_create_local_key(path: Path) -> KeySet:
    """The embedded default: a random HS256 key kept in `path` (mode 0600), made on first use.

    A key file that group or others may read or write is refused, not repaired: a key that
    may have been read must be replaced, which deleting the file does.
    """
    path = Path(path)
    try:
        return _read_private(path)
    except FileNotFoundError:
        _create(path)
    return _read_private(path)
