"""Who is calling: a bearer access token or an API key, checked against revocations."""

from __future__ import annotations

from datetime import timedelta
from typing import NoReturn

import attrs

from pricing_core.access.audit import Auditor, RequestInfo
from pricing_core.access.model import Outcome, Principal
from pricing_core.access.ports import ApiKeyStore, RevocationStore, Secrets, TokenCodec, UserStore
from pricing_core.errors import InvalidToken
from pricing_core.ports import Clock

__all__ = ["API_KEY_PREFIX", "Authenticate"]

# API keys carry a recognisable prefix, so one credential field serves both kinds of caller
# and secret scanners can spot a leaked key. A JWT never starts with it (it starts "eyJ").
API_KEY_PREFIX = "pricing_"
# last_used_at is kept to the minute: a write per request would buy nothing.
LAST_USED_GRANULARITY = timedelta(minutes=1)


@attrs.frozen(kw_only=True)
class Authenticate:
    """A credential (access token or API key) in, a Principal out; InvalidToken otherwise.

    Every refusal carries the same message. A revocation store that cannot answer raises
    RevocationUnavailable, which is not caught: the request fails closed (503).
    """

    users: UserStore
    codec: TokenCodec
    revocations: RevocationStore
    api_keys: ApiKeyStore
    secrets: Secrets
    auditor: Auditor
    clock: Clock

    def __call__(self, credential: str, info: RequestInfo) -> Principal:
        if credential.startswith(API_KEY_PREFIX):
            return self._api_key(credential, info)
        return self._access_token(credential, info)

    def _access_token(self, token: str, info: RequestInfo) -> Principal:
        now = self.clock.now()
        try:
            claims = self.codec.decode(token, now)
        except InvalidToken as error:
            self._refuse(None, "access_token", error.reason, info)
        user = self.users.get(claims.sub)
        if user is None or not user.active:
            self._refuse(claims.sub, "access_token", "unknown or inactive user", info)
        if user.sessions_valid_after is not None and claims.iat < user.sessions_valid_after:
            self._refuse(user.id, "access_token", "sessions revoked", info)
        if claims.role != user.role:
            self._refuse(user.id, "access_token", "role changed", info)
        if user.one_time_password_expired(now):
            self._refuse(user.id, "access_token", "one-time password expired", info)
        if self.revocations.is_revoked(claims.jti, now):
            self._refuse(user.id, "access_token", "token revoked", info)
        return Principal(
            role=user.role,
            user_id=user.id,
            token_id=claims.jti,
            token_expires_at=claims.exp,
            session_id=claims.sid,
            password_change_required=user.password_change_required,
        )

    def _api_key(self, raw: str, info: RequestInfo) -> Principal:
        now = self.clock.now()
        key = self.api_keys.by_hash(self.secrets.digest(raw))
        if key is None:
            self._refuse(None, "api_key", "unknown key", info)
        if key.revoked_at is not None:
            self._refuse(f"apikey:{key.id}", "api_key", "key revoked", info)
        if key.last_used_at is None or now - key.last_used_at >= LAST_USED_GRANULARITY:
            self.api_keys.mark_used(key.id, now)
        return Principal(role=key.role, api_key_id=key.id)

    def _refuse(self, actor: str | None, kind: str, reason: str, info: RequestInfo) -> NoReturn:
        self.auditor.record(
            "authn_token",
            Outcome.FAILURE,
            info,
            actor=actor,
            # The credential is the target: its kind, and the account or key it claimed.
            target_type=kind,
            target_id=actor or "unknown",
            detail={"kind": kind, "reason": reason},
        )
        raise InvalidToken(reason)
