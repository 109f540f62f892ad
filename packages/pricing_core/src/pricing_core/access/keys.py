"""API keys for service integrations: random, shown once, stored hashed, revocable."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import attrs

from pricing_core.access.audit import Auditor, RequestInfo, require
from pricing_core.access.authenticate import API_KEY_PREFIX
from pricing_core.access.fields import check_name, check_role
from pricing_core.access.model import ApiKey, Outcome, Principal
from pricing_core.access.ports import ApiKeyStore, Secrets
from pricing_core.access.roles import Permission, Role
from pricing_core.errors import Forbidden, NotFound
from pricing_core.ports import Clock, UnitOfWork

__all__ = ["API_KEY_BYTES", "CreateApiKey", "ListApiKeys", "RevokeApiKey", "revoke_keys_of"]

API_KEY_BYTES = 32
# Characters of the raw key kept in clear to tell keys apart: the prefix and 6 random ones.
SHOWN = len(API_KEY_PREFIX) + 6


@attrs.frozen(kw_only=True)
class CreateApiKey:
    """A new key with a role no higher than its creator's; the raw key is returned only here."""

    api_keys: ApiKeyStore
    secrets: Secrets
    auditor: Auditor
    clock: Clock
    uow: UnitOfWork

    def __call__(
        self, actor: Principal, name: str, role: str, info: RequestInfo
    ) -> tuple[ApiKey, str]:
        require(actor, Permission.MANAGE_API_KEYS)
        if actor.user_id is None:
            # A key made by a key would outlive its maker's demotion or deactivation: revoking
            # follows the person who made a key (revoke_keys_of), and a key is nobody.
            raise Forbidden("API keys are made by a signed-in person, not with an API key")
        name, scoped = check_name(name, required=True), check_role(role)
        if not actor.role.at_least(scoped):
            raise Forbidden("an API key cannot have a role above its creator's")
        raw = API_KEY_PREFIX + self.secrets.token(API_KEY_BYTES)
        key = ApiKey(
            id=self.secrets.new_id(),
            name=name,
            role=scoped,
            key_hash=self.secrets.digest(raw),
            prefix=raw[:SHOWN],
            created_by=actor.actor,
            created_at=self.clock.now(),
        )
        with self.uow.transaction():
            self.api_keys.add(key)
            self.auditor.record(
                "apikey_create",
                Outcome.SUCCESS,
                info,
                actor=actor.actor,
                target_type="api_key",
                target_id=key.id,
                detail={"name": key.name, "role": str(key.role)},
            )
        return key, raw


@attrs.frozen(kw_only=True)
class RevokeApiKey:
    """Revoke a key for good; revoking a revoked key changes nothing."""

    api_keys: ApiKeyStore
    auditor: Auditor
    clock: Clock
    uow: UnitOfWork

    def __call__(self, actor: Principal, key_id: str, info: RequestInfo) -> ApiKey:
        require(actor, Permission.MANAGE_API_KEYS)
        key = self.api_keys.get(key_id)
        if key is None:
            raise NotFound("no such API key", key_id=key_id)
        if key.revoked_at is not None:
            return key
        with self.uow.transaction():
            return _revoke(self.api_keys, self.auditor, key, self.clock.now(), actor.actor, info)


@attrs.frozen(kw_only=True)
class ListApiKeys:
    """Every key, oldest first, revoked ones included (hashes are never shown by the app)."""

    api_keys: ApiKeyStore

    def __call__(self, actor: Principal) -> Sequence[ApiKey]:
        require(actor, Permission.MANAGE_API_KEYS)
        return sorted(self.api_keys.list(), key=lambda k: (k.created_at, k.id))


def revoke_keys_of(
    api_keys: ApiKeyStore,
    auditor: Auditor,
    *,
    user_id: str,
    above: Role | None,
    now: datetime,
    actor: str,
    info: RequestInfo,
) -> None:
    """Revoke the live keys a user created whose role is above `above` (None: all of them).

    A key must never outrank its creator: a demoted or deactivated user would otherwise keep
    their old powers through a key they hold.
    """
    for key in api_keys.list():
        if key.created_by != user_id or key.revoked_at is not None:
            continue
        if above is None or key.role.rank > above.rank:
            _revoke(api_keys, auditor, key, now, actor, info, reason="creator_lost_role")


def _revoke(
    api_keys: ApiKeyStore,
    auditor: Auditor,
    key: ApiKey,
    now: datetime,
    actor: str,
    info: RequestInfo,
    reason: str = "requested",
) -> ApiKey:
    revoked = attrs.evolve(key, revoked_at=now)
    api_keys.save(revoked)
    auditor.record(
        "apikey_revoke",
        Outcome.SUCCESS,
        info,
        actor=actor,
        target_type="api_key",
        target_id=key.id,
        detail={"name": key.name, "reason": reason},
    )
    return revoked
