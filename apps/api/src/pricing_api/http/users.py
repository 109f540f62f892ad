"""`/api/v1/auth/users`: accounts managed by administrators (MANAGE_USERS, MANAGE_ROLES).

Nobody deletes an account: DELETE deactivates it (its sessions and keys end, its history
stays), and POST .../reactivate lets it log in again. Creating an account without a
password answers a generated one-time password, once; it is stored only as its argon2id
hash, must be changed at first login and expires.
"""

from __future__ import annotations

from litestar import Controller, delete, get, post, put
from litestar.params import FromPath, JSONBody

from pricing_api.http.auth import password_work
from pricing_api.http.documented import access_problems
from pricing_api.http.schemas import (
    MAX_BODY_BYTES,
    NO_STORE,
    Caller,
    CreatedUserOut,
    CreateUserBody,
    Info,
    Limit,
    Offset,
    RoleBody,
    Services,
    UserOut,
    UserPage,
    created_user_out,
    user_out,
)
from pricing_api.http.security import needs
from pricing_core.access.roles import Permission

__all__ = ["UsersController"]

_GUARDED = (401, 403, 503)  # every route: a bad token, a missing permission, fail closed
_BODY = (400, 413)


class UsersController(Controller):
    path = "/api/v1/auth/users"
    tags = ("users",)
    request_max_body_size = MAX_BODY_BYTES

    @post(
        "/",
        opt=needs(Permission.MANAGE_USERS),
        status_code=201,
        cache_control=NO_STORE,
        summary="Create an account with a role (at most your own)",
        responses=access_problems(*_BODY, *_GUARDED, 409, 422),
    )
    async def create(
        self, data: JSONBody[CreateUserBody], services: Services, principal: Caller, info: Info
    ) -> CreatedUserOut:
        """Without `password`, `one_time_password` carries a generated one, shown only here."""
        create = services.access.create_user
        email, role, name, password = data.email, data.role, data.name, data.password
        user, generated = await password_work(create, principal, email, role, name, password, info)
        return created_user_out(user, generated)

    @get(
        "/",
        opt=needs(Permission.MANAGE_USERS),
        sync_to_thread=True,
        summary="Accounts in creation order, a page at a time",
        responses=access_problems(400, *_GUARDED, 422),
    )
    def list_users(
        self, services: Services, principal: Caller, limit: Limit = 50, offset: Offset = 0
    ) -> UserPage:
        users, total = services.access.list_users(principal, offset, limit)
        return UserPage(items=[user_out(u) for u in users], total=total, limit=limit, offset=offset)

    @get(
        "/{user_id:str}",
        opt=needs(Permission.MANAGE_USERS),
        sync_to_thread=True,
        summary="One account",
        responses=access_problems(400, *_GUARDED, 404),
    )
    def get_user(self, user_id: FromPath[str], services: Services, principal: Caller) -> UserOut:
        return user_out(services.access.get_user(principal, user_id))

    @put(
        "/{user_id:str}/role",
        opt=needs(Permission.MANAGE_ROLES),
        sync_to_thread=True,
        summary="Give an account another role (not your own; at most your role)",
        responses=access_problems(*_BODY, *_GUARDED, 404, 409, 422),
    )
    def change_role(
        self,
        user_id: FromPath[str],
        data: JSONBody[RoleBody],
        services: Services,
        principal: Caller,
        info: Info,
    ) -> UserOut:
        """The account's sessions end, and its API keys above the new role are revoked."""
        return user_out(services.access.change_role(principal, user_id, data.role, info))

    @delete(
        "/{user_id:str}",
        opt=needs(Permission.MANAGE_USERS),
        status_code=200,
        sync_to_thread=True,
        summary="Deactivate an account (its history stays); answers it, now inactive",
        responses=access_problems(400, *_GUARDED, 404, 409),
    )
    def deactivate(
        self, user_id: FromPath[str], services: Services, principal: Caller, info: Info
    ) -> UserOut:
        return user_out(services.access.deactivate_user(principal, user_id, info))

    @post(
        "/{user_id:str}/reset-password",
        opt=needs(Permission.MANAGE_USERS),
        status_code=200,
        cache_control=NO_STORE,
        summary="Give an account a new one-time password, answered once; its sessions end",
        responses=access_problems(400, *_GUARDED, 404, 409),
    )
    async def reset_password(
        self, user_id: FromPath[str], services: Services, principal: Caller, info: Info
    ) -> CreatedUserOut:
        """For a forgotten or expired password: the user logs in with `one_time_password`
        and must change it first; it expires after PRICING_ONE_TIME_PASSWORD_HOURS. 409 for
        your own account (change your password instead), 403 for a role above yours."""
        reset = services.access.reset_password
        user, generated = await password_work(reset, principal, user_id, info)
        return created_user_out(user, generated)

    @post(
        "/{user_id:str}/reactivate",
        opt=needs(Permission.MANAGE_USERS),
        status_code=200,
        sync_to_thread=True,
        summary="Let a deactivated account log in again; answers it, now active",
        responses=access_problems(400, *_GUARDED, 404, 409),
    )
    def reactivate(
        self, user_id: FromPath[str], services: Services, principal: Caller, info: Info
    ) -> UserOut:
        """Its old sessions and API keys stay ended; reactivating an active account changes
        nothing. 409 for your own account, 403 for a role above yours."""
        return user_out(services.access.reactivate_user(principal, user_id, info))
