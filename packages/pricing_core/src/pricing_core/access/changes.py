"""Changes that end a user's sessions: a new password, a new role, deactivation."""

from __future__ import annotations

import attrs

from pricing_core.access.accounts import AccountFactory
from pricing_core.access.audit import Auditor, RequestInfo, require
from pricing_core.access.fields import check_role
from pricing_core.access.keys import revoke_keys_of
from pricing_core.access.model import Outcome, Principal, TokenPair, User
from pricing_core.access.passwords import PasswordPolicy
from pricing_core.access.ports import (
    ApiKeyStore,
    FailureCounter,
    PasswordHasher,
    RevocationStore,
    UserStore,
)
from pricing_core.access.roles import Permission, Role
from pricing_core.access.sessions import Sessions, end_sessions, revoke_access_token
from pricing_core.access.tokens import ThrottlePolicy
from pricing_core.errors import Conflict, Forbidden, InvalidRequest, NotAuthenticated, NotFound
from pricing_core.ports import Clock, UnitOfWork

__all__ = ["ChangePassword", "ChangeRole", "DeactivateUser", "ReactivateUser", "ResetPassword"]


@attrs.frozen(kw_only=True)
class ChangePassword:
    """The caller proves their current password and sets a new one.

    Every session of the user ends, this one included, and a fresh pair is returned so that
    the caller stays signed in on this device only. Wrong current passwords count as login
    failures for the account and the address, checked before anything is hashed.
    """

    users: UserStore
    hasher: PasswordHasher
    passwords: PasswordPolicy
    sessions: Sessions
    revocations: RevocationStore
    failures: FailureCounter
    throttle: ThrottlePolicy
    auditor: Auditor
    clock: Clock
    uow: UnitOfWork

    def __call__(
        self, principal: Principal, current: str, new: str, info: RequestInfo
    ) -> TokenPair:
        if principal.user_id is None:
            raise Forbidden("an API key has no password")
        user = self.users.get(principal.user_id)
        if user is None or not user.active:
            raise NotAuthenticated()
        now = self.clock.now()
        self.throttle.check(self.failures, email=user.email, ip=info.ip, now=now)
        if not self.hasher.verify(user.password_hash, current):
            self.throttle.record_failure(self.failures, email=user.email, ip=info.ip, now=now)
            self._audit(user, Outcome.FAILURE, info, "wrong_current_password")
            raise InvalidRequest("current_password", "is not correct")
        self.passwords.check(new, email=user.email, name=user.name, current=current)
        new_hash = self.hasher.hash(new)
        with self.uow.transaction():
            # Read again after the slow hash so that nothing saved meanwhile is overwritten.
            user = self.users.get(user.id) or user
            now = self.clock.now()
            user = attrs.evolve(user, password_hash=new_hash, one_time_password_expires_at=None)
            user = end_sessions(user, self.sessions.refresh_tokens, now)
            self.users.save(user)
            self._audit(user, Outcome.SUCCESS, info)
            pair = self.sessions.start(user, now)
        # The revocation list and the failure counter may live outside the database (Redis):
        # they are told once the change is committed.
        revoke_access_token(principal, self.revocations)
        self.throttle.record_success(self.failures, email=user.email)
        return pair

    def _audit(self, user: User, outcome: Outcome, info: RequestInfo, reason: str = "") -> None:
        self.auditor.record(
            "password_change",
            outcome,
            info,
            actor=user.id,
            target_type="user",
            target_id=user.id,
            detail={"reason": reason} if reason else {},
        )


def _target(users: UserStore, actor: Principal, user_id: str, verb: str) -> User:
    if actor.user_id == user_id:
        raise Conflict(f"you cannot {verb} your own account", user_id=user_id)
    user = users.get(user_id)
    if user is None:
        raise NotFound("no such user", user_id=user_id)
    if not actor.role.at_least(user.role):
        raise Forbidden(f"you cannot {verb} a user whose role is above your own")
    return user


@attrs.frozen(kw_only=True)
class ChangeRole:
    """Give a user another role, at most the actor's own; the user's sessions end.

    Nobody changes their own role (no self-promotion, and the last administrator cannot
    demote themselves by accident). API keys the user made above the new role are revoked.
    """

    users: UserStore
    sessions: Sessions
    api_keys: ApiKeyStore
    auditor: Auditor
    clock: Clock
    uow: UnitOfWork

    def __call__(self, actor: Principal, user_id: str, role: str, info: RequestInfo) -> User:
        require(actor, Permission.MANAGE_ROLES)
        granted = check_role(role)
        user = _target(self.users, actor, user_id, "change the role of")
        if not actor.role.at_least(granted):
            raise Forbidden("you cannot grant a role above your own")
        if user.role == granted:
            return user
        detail = {"from": str(user.role), "to": str(granted)}
        changed = attrs.evolve(user, role=granted)
        return _lower(
            self, actor, changed, above=granted, action="role_change", info=info, detail=detail
        )


@attrs.frozen(kw_only=True)
class DeactivateUser:
    """Deactivate an account: it can no longer log in, its sessions and keys end, and its
    history (audit rows, what it created) stays. Nobody deactivates themselves."""

    users: UserStore
    sessions: Sessions
    api_keys: ApiKeyStore
    auditor: Auditor
    clock: Clock
    uow: UnitOfWork

    def __call__(self, actor: Principal, user_id: str, info: RequestInfo) -> User:
        require(actor, Permission.MANAGE_USERS)
        user = _target(self.users, actor, user_id, "deactivate")
        if not user.active:
            return user
        changed = attrs.evolve(user, active=False)
        return _lower(self, actor, changed, above=None, action="user_deactivate", info=info)


@attrs.frozen(kw_only=True)
class ReactivateUser:
    """Let a deactivated account log in again (MANAGE_USERS), audited.

    Only its ability to log in comes back: the sessions and API keys that ended with the
    deactivation stay ended. The same limits as deactivation apply: not oneself, not a role
    above the actor's.
    """

    users: UserStore
    auditor: Auditor
    uow: UnitOfWork

    def __call__(self, actor: Principal, user_id: str, info: RequestInfo) -> User:
        require(actor, Permission.MANAGE_USERS)
        user = _target(self.users, actor, user_id, "reactivate")
        if user.active:
            return user
        saved = attrs.evolve(user, active=True)
        with self.uow.transaction():
            self.users.save(saved)
            self.auditor.record(
                "user_reactivate",
                Outcome.SUCCESS,
                info,
                actor=actor.actor,
                target_type="user",
                target_id=saved.id,
            )
        return saved


@attrs.frozen(kw_only=True)
class ResetPassword:
    """Give an account a new one-time password (MANAGE_USERS), answered once, audited.

    For a user who forgot theirs or whose one-time password expired. Every session of the
    account ends; the new password must be changed at first login and expires like the
    first one. Not for oneself (change your password instead), nor above one's role.
    """

    accounts: AccountFactory
    sessions: Sessions

    def __call__(self, actor: Principal, user_id: str, info: RequestInfo) -> tuple[User, str]:
        require(actor, Permission.MANAGE_USERS)
        user = _target(self.accounts.users, actor, user_id, "reset the password of")
        password = self.accounts.generate_password(user.email)
        new_hash = self.accounts.hasher.hash(password)
        with self.accounts.uow.transaction():
            # Read again after the slow hash so that nothing saved meanwhile is overwritten.
            user = self.accounts.users.get(user.id) or user
            now = self.accounts.clock.now()
            user = attrs.evolve(
                user,
                password_hash=new_hash,
                one_time_password_expires_at=now + self.accounts.one_time_password_ttl,
            )
            user = end_sessions(user, self.sessions.refresh_tokens, now)
            self.accounts.users.save(user)
            self.accounts.auditor.record(
                "password_reset",
                Outcome.SUCCESS,
                info,
                actor=actor.actor,
                target_type="user",
                target_id=user.id,
            )
        return user, password


def _lower(
    case: ChangeRole | DeactivateUser,
    actor: Principal,
    changed: User,
    *,
    above: Role | None,
    action: str,
    info: RequestInfo,
    detail: dict[str, str] | None = None,
) -> User:
    """Save a user whose rights were cut: their sessions end, the API keys they made above
    `above` (all of them when None) are revoked, and the change is audited; all of it in one
    unit of work."""
    now = case.clock.now()
    with case.uow.transaction():
        saved = end_sessions(changed, case.sessions.refresh_tokens, now)
        case.users.save(saved)
        revoke_keys_of(
            case.api_keys,
            case.auditor,
            user_id=saved.id,
            above=above,
            now=now,
            actor=actor.actor,
            info=info,
        )
        case.auditor.record(
            action,
            Outcome.SUCCESS,
            info,
            actor=actor.actor,
            target_type="user",
            target_id=saved.id,
            detail=detail,
        )
    return saved
