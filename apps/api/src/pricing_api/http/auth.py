"""`/api/v1/auth`: registering, logging in and out, refreshing, and the caller's own account.

Self-registration is off by default; while it is off, POST /register answers 403 with the
`forbidden` problem (the route exists and says why, rather than pretending not to: its
state is no secret, the OpenAPI schema lists it either way).

A failed login answers 401 with one body whatever the cause (unknown email, wrong password,
inactive account); too many failures for an account or an address answer 429 with
`Retry-After`, checked before any password is hashed.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial
from typing import TypeVar

import anyio.to_thread
from anyio import CapacityLimiter
from anyio.lowlevel import RunVar
from litestar import Controller, get, post, put
from litestar.params import JSONBody

from pricing_api.http.documented import access_problems
from pricing_api.http.schemas import (
    MAX_BODY_BYTES,
    NO_STORE,
    Caller,
    ChangePasswordBody,
    Info,
    LoginBody,
    PermissionsOut,
    ProfileBody,
    RefreshBody,
    RegisterBody,
    Services,
    TokensOut,
    UserOut,
    permissions_out,
    tokens_out,
    user_out,
)
from pricing_api.http.security import AUTHENTICATED, BEFORE_PASSWORD_CHANGE, PUBLIC
from pricing_core.access.model import Principal
from pricing_core.access.roles import ROLE_PERMISSIONS
from pricing_core.errors import Forbidden

__all__ = ["PASSWORD_WORKERS", "AuthController", "off_loop", "own_id", "password_work"]

T = TypeVar("T")
_AUTHED = (401, 503)  # any authenticated route: a bad token, or revocations unreadable
_BODY = (400, 413)


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


# argon2id costs ~19 MiB and tens of ms of CPU per hash. Routes that hash or verify a password
# queue for one of PASSWORD_WORKERS threads on the event loop (not in the thread pool, which
# other routes need), one core being left to the event loop: a burst of logins neither stalls
# other requests (checklist 5) nor takes memory without bound.
PASSWORD_WORKERS = max(1, _cpus() - 1)
_PASSWORD_LIMITER: RunVar[CapacityLimiter] = RunVar("password_limiter")


async def password_work(call: Callable[..., T], *args: object) -> T:
    """Run a use case that hashes or verifies a password, at most PASSWORD_WORKERS at once."""
    try:
        limiter = _PASSWORD_LIMITER.get()
    except LookupError:  # one limiter per event loop
        limiter = CapacityLimiter(PASSWORD_WORKERS)
        _PASSWORD_LIMITER.set(limiter)
    return await anyio.to_thread.run_sync(partial(call, *args), limiter=limiter)


async def off_loop(call: Callable[..., T], *args: object) -> T:
    """Run a use case in a worker thread: database calls block.

    For the AUTHENTICATED routes, instead of `sync_to_thread=True`: Litestar wraps such a
    handler in `litestar.utils.sync.AsyncCallable`, which `app.mark_framework_routes_public`
    takes for one of Litestar's own handlers and marks public, so the guard would skip
    authentication and a valid token would get 401 (reported: test_deny_by_default.py).
    """
    return await anyio.to_thread.run_sync(partial(call, *args))


def own_id(principal: Principal) -> str:
    """The caller's user id; an API key is a service, not an account with a profile."""
    if principal.user_id is None:
        raise Forbidden("an API key has no account of its own; use a user's token")
    return principal.user_id


class AuthController(Controller):
    path = "/api/v1/auth"
    tags = ("auth",)
    request_max_body_size = MAX_BODY_BYTES

    @post(
        "/register",
        opt=PUBLIC,
        status_code=201,
        summary="Register (only when self-registration is enabled; new users are VIEWER)",
        responses=access_problems(*_BODY, 403, 409, 422),
    )
    async def register(
        self, data: JSONBody[RegisterBody], services: Services, info: Info
    ) -> UserOut:
        """403 `forbidden` while self-registration is disabled (the default)."""
        register = services.access.register
        return user_out(await password_work(register, data.email, data.password, data.name, info))

    @post(
        "/login",
        opt=PUBLIC,
        status_code=200,
        cache_control=NO_STORE,
        summary="Log in with an email and a password",
        responses=access_problems(*_BODY, 401, 429, 503),
    )
    async def login(self, data: JSONBody[LoginBody], services: Services, info: Info) -> TokensOut:
        """With a one-time password, `password_change_required` is true: until the password
        is changed, every route but `GET /auth/me`, change-password and logout answers 403
        `password_change_required`. An expired one-time password answers 401
        `one_time_password_expired`."""
        login = services.access.login
        return tokens_out(await password_work(login, data.email, data.password, info))

    @post(
        "/refresh",
        opt=PUBLIC,
        status_code=200,
        sync_to_thread=True,
        cache_control=NO_STORE,
        summary="Exchange a refresh token for a new pair (the old one is spent)",
        responses=access_problems(*_BODY, 401, 503),
    )
    def refresh(self, data: JSONBody[RefreshBody], services: Services, info: Info) -> TokensOut:
        return tokens_out(services.access.refresh(data.refresh_token, info))

    @post(
        "/logout",
        opt=BEFORE_PASSWORD_CHANGE,
        status_code=204,
        summary="End this session: its access token and its refresh token family",
        responses=access_problems(*_AUTHED, 403),
    )
    async def logout(self, services: Services, principal: Caller, info: Info) -> None:
        await off_loop(services.access.logout, principal, info)

    @get(
        "/me",
        opt=BEFORE_PASSWORD_CHANGE,
        summary="The caller's account",
        responses=access_problems(*_AUTHED, 403, 404),
    )
    async def me(self, services: Services, principal: Caller) -> UserOut:
        return user_out(await off_loop(services.access.get_user, principal, own_id(principal)))

    @put(
        "/me",
        opt=AUTHENTICATED,
        summary="Change the caller's display name (the only field a user may change)",
        responses=access_problems(*_BODY, *_AUTHED, 403, 404, 422),
    )
    async def update_me(
        self, data: JSONBody[ProfileBody], services: Services, principal: Caller, info: Info
    ) -> UserOut:
        return user_out(await off_loop(services.access.update_profile, principal, data.name, info))

    @post(
        "/me/change-password",
        opt=BEFORE_PASSWORD_CHANGE,
        status_code=200,
        cache_control=NO_STORE,
        summary="Change the caller's password: every session ends, a new pair is answered",
        responses=access_problems(*_BODY, *_AUTHED, 403, 422, 429),
    )
    async def change_password(
        self,
        data: JSONBody[ChangePasswordBody],
        services: Services,
        principal: Caller,
        info: Info,
    ) -> TokensOut:
        change = services.access.change_password
        new, current = data.new_password, data.current_password
        return tokens_out(await password_work(change, principal, current, new, info))

    @get(
        "/me/permissions",
        opt=AUTHENTICATED,
        sync_to_thread=False,  # no I/O: the role table is in memory
        summary="The caller's role and its permissions, in access.md's order",
        responses=access_problems(*_AUTHED, 403),
    )
    def my_permissions(self, principal: Caller) -> PermissionsOut:
        return permissions_out(principal.role, ROLE_PERMISSIONS[principal.role])
