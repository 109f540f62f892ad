"""Creating and reading accounts: self-registration, accounts made by an admin, profiles."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import timedelta

import attrs

from pricing_core.access.audit import Auditor, RequestInfo, require
from pricing_core.access.fields import (
    check_email,
    check_name,
    check_page,
    check_role,
    email_domain,
)
from pricing_core.access.model import Outcome, Principal, User
from pricing_core.access.passwords import PasswordPolicy
from pricing_core.access.ports import PasswordHasher, Secrets, UserStore
from pricing_core.access.roles import Permission, Role
from pricing_core.errors import EmailTaken, Forbidden, InvalidRequest, NotFound
from pricing_core.ports import Clock, UnitOfWork

__all__ = [
    "AccountFactory",
    "CreateUser",
    "GetUser",
    "ListUsers",
    "Register",
    "RegistrationPolicy",
    "UpdateProfile",
]

GENERATED_PASSWORD_BYTES = 18  # 24 URL-safe characters, 144 bits
DEFAULT_ONE_TIME_PASSWORD_TTL = timedelta(hours=72)
_GENERATION_TRIES = 20  # a random password may by chance contain the email name


def _domains(values: Iterable[str]) -> frozenset[str]:
    return frozenset(v.strip().lower().lstrip("@") for v in values)


@attrs.frozen(kw_only=True)
class RegistrationPolicy:
    """Self-registration: off unless enabled; `allowed_domains` empty means any domain."""

    enabled: bool = False
    allowed_domains: frozenset[str] = attrs.field(factory=frozenset, converter=_domains)


def _positive(_: object, attribute: attrs.Attribute[timedelta], value: timedelta) -> None:
    if value <= timedelta(0):
        raise ValueError(f"{attribute.name} must be positive, got {value}")


@attrs.frozen(kw_only=True)
class AccountFactory:
    """What making an account needs: checks the password, hashes it, stores the user.

    A one-time password (generated for someone else to hand on) must be changed at first
    use and dies after `one_time_password_ttl`.
    """

    users: UserStore
    hasher: PasswordHasher
    passwords: PasswordPolicy
    secrets: Secrets
    auditor: Auditor
    clock: Clock
    uow: UnitOfWork
    one_time_password_ttl: timedelta = attrs.field(
        default=DEFAULT_ONE_TIME_PASSWORD_TTL, validator=_positive
    )

    def add(
        self,
        *,
        email: str,
        password: str,
        name: str,
        role: Role,
        audit: Callable[[User], object],
        one_time: bool = False,
    ) -> User:
        """Store a new account; `audit(user)` writes its audit row in the same unit of work.

        The slow hash is made before the unit of work opens, so it holds nothing meanwhile.
        """
        self.passwords.check(password, email=email, name=name)
        if self.users.by_email(email) is not None:
            raise EmailTaken()
        now = self.clock.now()
        user = User(
            id=self.secrets.new_id(),
            email=email,
            name=name,
            role=role,
            password_hash=self.hasher.hash(password),
            created_at=now,
            one_time_password_expires_at=now + self.one_time_password_ttl if one_time else None,
        )
        with self.uow.transaction():
            self.users.add(user)  # raises EmailTaken when a concurrent request won
            audit(user)
        return user

    def generate_password(self, email: str) -> str:
        # token(n) gives ceil(4n/3) characters: at least 24, and never below the policy's minimum.
        size = max(GENERATED_PASSWORD_BYTES, -(-self.passwords.min_length * 3 // 4))
        for _ in range(_GENERATION_TRIES):
            candidate = self.secrets.token(size)
            try:
                self.passwords.check(candidate, email=email)
            except InvalidRequest:
                continue
            return candidate
        raise RuntimeError("could not generate a password that the policy accepts")


@attrs.frozen(kw_only=True)
class Register:
    """Self-registration, when enabled, for allowed email domains; new users are VIEWERs.

    A taken email is reported as EmailTaken: registration is off by default, and a deployment
    that turns it on accepts that an email's existence can be learned this way.
    """

    accounts: AccountFactory
    policy: RegistrationPolicy

    def __call__(self, email: str, password: str, name: str, info: RequestInfo) -> User:
        if not self.policy.enabled:
            raise Forbidden("self-registration is disabled; ask an administrator")
        email = check_email(email)
        if self.policy.allowed_domains and email_domain(email) not in self.policy.allowed_domains:
            raise InvalidRequest("email", "this email domain may not register")
        name = check_name(name)

        def audit(user: User) -> None:
            self.accounts.auditor.record(
                "user_register",
                Outcome.SUCCESS,
                info,
                actor=user.id,
                target_type="user",
                target_id=user.id,
                detail={"email": user.email, "role": str(user.role)},
            )

        return self.accounts.add(
            email=email, password=password, name=name, role=Role.VIEWER, audit=audit
        )


@attrs.frozen(kw_only=True)
class CreateUser:
    """An administrator makes an account, at most of their own role.

    Without a password one is generated and returned once, for the administrator to hand on:
    a one-time password, to be changed at first login, that expires. With one, the password
    policy applies.
    """

    accounts: AccountFactory

    def __call__(
        self,
        actor: Principal,
        email: str,
        role: str,
        name: str,
        password: str | None,
        info: RequestInfo,
    ) -> tuple[User, str | None]:
        require(actor, Permission.MANAGE_USERS)
        email, granted, name = check_email(email), check_role(role), check_name(name)
        if not actor.role.at_least(granted):
            raise Forbidden("you cannot create an account with a role above your own")
        generated: str | None = None
        if password is None:
            password = generated = self.accounts.generate_password(email)

        def audit(user: User) -> None:
            self.accounts.auditor.record(
                "user_create",
                Outcome.SUCCESS,
                info,
                actor=actor.actor,
                target_type="user",
                target_id=user.id,
                detail={
                    "email": user.email,
                    "role": str(user.role),
                    "password": "generated" if generated else "chosen",
                },
            )

        user = self.accounts.add(
            email=email,
            password=password,
            name=name,
            role=granted,
            audit=audit,
            one_time=bool(generated),
        )
        return user, generated


@attrs.frozen(kw_only=True)
class ListUsers:
    """A page of accounts in creation order, and how many there are."""

    users: UserStore

    def __call__(
        self, actor: Principal, offset: int = 0, limit: int = 50
    ) -> tuple[Sequence[User], int]:
        require(actor, Permission.MANAGE_USERS)
        check_page(offset, limit)
        return self.users.list(offset, limit)


@attrs.frozen(kw_only=True)
class GetUser:
    """One account: your own, or anyone's with MANAGE_USERS; others look like no account."""

    users: UserStore

    def __call__(self, actor: Principal, user_id: str) -> User:
        user = self.users.get(user_id)
        if user is None or (actor.user_id != user_id and not actor.can(Permission.MANAGE_USERS)):
            raise NotFound("no such user", user_id=user_id)
        return user


@attrs.frozen(kw_only=True)
class UpdateProfile:
    """The caller changes their own display name: the only field a user may change."""

    users: UserStore
    auditor: Auditor
    uow: UnitOfWork

    def __call__(self, principal: Principal, name: str, info: RequestInfo) -> User:
        if principal.user_id is None:
            raise Forbidden("an API key has no profile")
        user = self.users.get(principal.user_id)
        if user is None:
            raise NotFound("no such user", user_id=principal.user_id)
        user = attrs.evolve(user, name=check_name(name))
        with self.uow.transaction():
            self.users.save(user)
            self.auditor.record(
                "user_update",
                Outcome.SUCCESS,
                info,
                actor=principal.actor,
                target_type="user",
                target_id=user.id,
                detail={"fields": ["name"]},
            )
        return user
