"""The access endpoints' bodies at the edge (msgspec), and the problem structs every route answers.

Request bodies refuse unknown fields: a client that sends `role` to PUT /auth/me learns at
once that it was not applied (400 naming the field) instead of believing it was.
Response bodies are built field by field from the core's values, so a password hash, a
refresh token hash or an API key hash has no way into an answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar.datastructures import CacheControlHeader
from litestar.params import QueryParameter, SkipValidation

from pricing_adapters.bootstrap import Container
from pricing_core.access.audit import RequestInfo
from pricing_core.access.model import Principal, TokenPair, User
from pricing_core.access.roles import Permission, Role

__all__ = [
    "MAX_BODY_BYTES",
    "NO_STORE",
    "Body",
    "Caller",
    "ChangePasswordBody",
    "CreateUserBody",
    "CreatedUserOut",
    "Info",
    "Limit",
    "LoginBody",
    "Offset",
    "PermissionsOut",
    "Problem",
    "ProfileBody",
    "QuotaProblem",
    "RefreshBody",
    "RegisterBody",
    "RoleBody",
    "Services",
    "Text",
    "TokensOut",
    "UserOut",
    "UserPage",
    "created_user_out",
    "permissions_out",
    "tokens_out",
    "user_out",
]

# The largest body these endpoints need is a few hundred bytes; 16 KiB leaves room and
# refuses (413) a flood before it is parsed.
MAX_BODY_BYTES = 16 * 1024
# Token and one-time secret answers must not be kept by caches (RFC 6749 §5.1).
NO_STORE = CacheControlHeader(no_store=True)

# The app's dependencies (context.py), taken as they are: they are built by the app, not
# parsed from the request, and msgspec cannot (and need not) convert attrs services.
Services = SkipValidation[Container]
Caller = SkipValidation[Principal]
Info = SkipValidation[RequestInfo]

Limit = Annotated[int, QueryParameter(ge=1, le=200, description="Page size (at most 200).")]
Offset = Annotated[int, QueryParameter(ge=0, le=1_000_000_000, description="Items to skip.")]
# Text of a body never holds NUL: no field has a use for one, and PostgreSQL cannot store it.
NO_NUL = r"^[^\x00]*$"
# Generous bounds: the use cases apply the real rules (and say why, with 422).
Text = Annotated[str, msgspec.Meta(max_length=1024, pattern=NO_NUL)]


class Body(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A request body: unknown fields are refused, not ignored."""


class LoginBody(Body):
    email: Text
    password: Text


class RegisterBody(Body):
    email: Text
    password: Text
    name: Text = ""


class RefreshBody(Body):
    refresh_token: Text


class ProfileBody(Body):
    """What a user may change about themselves: their display name, nothing else."""

    name: Text


class ChangePasswordBody(Body):
    current_password: Text
    new_password: Text


class CreateUserBody(Body):
    """Without `password`, one is generated and answered once as `one_time_password`."""

    email: Text
    role: Role
    name: Text = ""
    password: Text | None = None


class RoleBody(Body):
    role: Role


class TokensOut(msgspec.Struct):
    access_token: str
    refresh_token: str
    token_type: str
    expires_in: int
    # True after logging in with a one-time password: change it before anything else.
    password_change_required: bool


class UserOut(msgspec.Struct):
    id: str
    email: str
    name: str
    role: Role
    active: bool
    created_at: datetime
    # The password is a one-time password: it must be changed, and stops working then.
    password_change_required: bool
    one_time_password_expires_at: datetime | None


class CreatedUserOut(UserOut):
    """The new account; `one_time_password` is shown here once, or null if one was given."""

    one_time_password: str | None = None


class PermissionsOut(msgspec.Struct):
    role: Role
    permissions: list[Permission]


class UserPage(msgspec.Struct):
    """One page of accounts and how many there are in all."""

    items: list[UserOut]
    total: int
    limit: int
    offset: int


class FieldError(msgspec.Struct):
    field: str
    message: str


class Problem(msgspec.Struct, omit_defaults=True):
    """RFC 9457 problem details, as problems.py writes them."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    errors: list[FieldError] | None = None
    retry_after: int | None = None
    # Which password rule refused a password (a 422 on a password field).
    rule: str | None = None


class QuotaProblem(msgspec.Struct, omit_defaults=True):
    """Every 429: a problem of type `quota-exceeded`, with `retry_after` seconds.

    The request rate limit's also carries access.md's members `error` ("Rate limit
    exceeded"), `limit` and `reset_at` (epoch seconds); the login failure throttle's does not.
    One schema for both: a route that can give either documents one 429.
    """

    type: str
    title: str
    status: int
    detail: str
    code: str
    retry_after: int | None = None
    error: str | None = None
    limit: int | None = None
    reset_at: int | None = None


def tokens_out(pair: TokenPair) -> TokensOut:
    return TokensOut(
        access_token=pair.access_token,
        refresh_token=pair.refresh_token,
        token_type=pair.token_type,
        expires_in=pair.expires_in,
        password_change_required=pair.password_change_required,
    )


def _user_fields(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "active": user.active,
        "created_at": user.created_at,
        "password_change_required": user.password_change_required,
        "one_time_password_expires_at": user.one_time_password_expires_at,
    }


def user_out(user: User) -> UserOut:
    return UserOut(**_user_fields(user))


def created_user_out(user: User, one_time_password: str | None) -> CreatedUserOut:
    return CreatedUserOut(**_user_fields(user), one_time_password=one_time_password)


def permissions_out(role: Role, held: Iterable[Permission]) -> PermissionsOut:
    """The role's permissions in access.md's table order (the order Permission lists them)."""
    order = list(Permission)
    return PermissionsOut(role=role, permissions=sorted(held, key=order.index))
