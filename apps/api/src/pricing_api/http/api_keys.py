"""`/api/v1/auth/api-keys`: keys for service integrations (MANAGE_API_KEYS).

The raw key is answered once, at creation; afterwards only its prefix is shown (the store
keeps a hash). A key's role is at most its creator's.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from litestar import Controller, delete, get, post
from litestar.params import FromPath, JSONBody

from pricing_api.http.documented import access_problems
from pricing_api.http.schemas import (
    MAX_BODY_BYTES,
    NO_STORE,
    Body,
    Caller,
    Info,
    Limit,
    Offset,
    Services,
    Text,
)
from pricing_api.http.security import needs
from pricing_core.access.model import ApiKey
from pricing_core.access.roles import Permission, Role

__all__ = [
    "ApiKeyOut",
    "ApiKeyPage",
    "ApiKeysController",
    "CreateApiKeyBody",
    "CreatedApiKeyOut",
]

_GUARDED = (401, 403, 503)


class CreateApiKeyBody(Body):
    name: Text
    role: Role


class ApiKeyOut(msgspec.Struct):
    id: str
    name: str
    role: Role
    prefix: str
    created_by: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class CreatedApiKeyOut(ApiKeyOut):
    """The new key; `key` is shown here once and never again."""

    key: str = ""


class ApiKeyPage(msgspec.Struct):
    """One page of keys (revoked ones included), oldest first, and how many there are."""

    items: list[ApiKeyOut]
    total: int
    limit: int
    offset: int


def _fields(key: ApiKey) -> dict[str, Any]:
    return {
        "id": key.id,
        "name": key.name,
        "role": key.role,
        "prefix": key.prefix,
        "created_by": key.created_by,
        "created_at": key.created_at,
        "last_used_at": key.last_used_at,
        "revoked_at": key.revoked_at,
    }


class ApiKeysController(Controller):
    path = "/api/v1/auth/api-keys"
    tags = ("api keys",)
    request_max_body_size = MAX_BODY_BYTES

    @get(
        "/",
        opt=needs(Permission.MANAGE_API_KEYS),
        sync_to_thread=True,
        summary="API keys, oldest first, revoked ones included",
        responses=access_problems(400, *_GUARDED),
    )
    def list_keys(
        self, services: Services, principal: Caller, limit: Limit = 50, offset: Offset = 0
    ) -> ApiKeyPage:
        keys = services.access.list_api_keys(principal)
        items = [ApiKeyOut(**_fields(k)) for k in keys[offset : offset + limit]]
        return ApiKeyPage(items=items, total=len(keys), limit=limit, offset=offset)

    @post(
        "/",
        opt=needs(Permission.MANAGE_API_KEYS),
        status_code=201,
        sync_to_thread=True,
        cache_control=NO_STORE,
        summary="Create a key with a role (at most your own); the key is shown once",
        responses=access_problems(400, 413, *_GUARDED, 422),
    )
    def create_key(
        self, data: JSONBody[CreateApiKeyBody], services: Services, principal: Caller, info: Info
    ) -> CreatedApiKeyOut:
        key, raw = services.access.create_api_key(principal, data.name, data.role, info)
        return CreatedApiKeyOut(**_fields(key), key=raw)

    @delete(
        "/{key_id:str}",
        opt=needs(Permission.MANAGE_API_KEYS),
        status_code=200,
        sync_to_thread=True,
        summary="Revoke a key for good; answers it, now revoked",
        responses=access_problems(400, *_GUARDED, 404),
    )
    def revoke_key(
        self, key_id: FromPath[str], services: Services, principal: Caller, info: Info
    ) -> ApiKeyOut:
        return ApiKeyOut(**_fields(services.access.revoke_api_key(principal, key_id, info)))
