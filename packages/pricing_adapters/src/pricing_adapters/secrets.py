"""Randomness and token digests from the operating system's CSPRNG."""

from __future__ import annotations

import hashlib
import secrets
import uuid

from pricing_core.access.ports import Secrets

__all__ = ["SystemSecrets"]


class SystemSecrets(Secrets):
    """Random ids (UUID4), URL-safe tokens from `secrets`, and SHA-256 hex digests.

    Tokens carry 32 random bytes or more, so an unsalted fast hash is enough to store them:
    nobody can guess one to match a stolen digest (unlike a password).
    """

    def new_id(self) -> str:
        return str(uuid.uuid4())

    def token(self, nbytes: int = 32) -> str:
        return secrets.token_urlsafe(nbytes)

    def digest(self, token: str) -> str:
        return hashlib.sha256(token.encode("utf-8")).hexdigest()
