"""Logging in with an email and a password, and logging out."""

from __future__ import annotations

from typing import NoReturn

import attrs

from pricing_core.access.audit import Auditor, RequestInfo
from pricing_core.access.fields import MAX_EMAIL
from pricing_core.access.model import Outcome, Principal, TokenPair, User, normalise_email
from pricing_core.access.passwords import MAX_LENGTH
from pricing_core.access.ports import (
    FailureCounter,
    PasswordHasher,
    RefreshTokenStore,
    RevocationStore,
    UserStore,
)
from pricing_core.access.sessions import Sessions, revoke_access_token
from pricing_core.access.tokens import ThrottlePolicy
from pricing_core.errors import (
    Forbidden,
    NotAuthenticated,
    OneTimePasswordExpired,
    TooManyAttempts,
)
from pricing_core.ports import Clock, UnitOfWork

__all__ = ["LOGIN_FAILED", "Login", "Logout"]

# One message for an unknown email, a wrong password and an inactive account.
LOGIN_FAILED = "invalid email or password"


@attrs.frozen(kw_only=True)
class Login:
    """Email and password in, a token pair out; throttled, audited, and enumeration-proof.

    An unknown email still verifies a password against a hash made once at construction
    (with the hasher's current parameters), so it costs about as long as a wrong password.
    """

    users: UserStore
    hasher: PasswordHasher
    sessions: Sessions
    failures: FailureCounter
    throttle: ThrottlePolicy
    auditor: Auditor
    clock: Clock
    uow: UnitOfWork
    _dummy_hash: str = attrs.field(init=False, repr=False)

    @_dummy_hash.default
    def _make_dummy_hash(self) -> str:
        return self.hasher.hash(self.sessions.secrets.token())

    def __call__(self, email: str, password: str, info: RequestInfo) -> TokenPair:
        # Cut to one past the longest email there can be: keys and audit rows stay small, and
        # the cut value still matches no account.
        email = normalise_email(email)[: MAX_EMAIL + 1]
        now = self.clock.now()
        try:
            self.throttle.check(self.failures, email=email, ip=info.ip, now=now)
        except TooManyAttempts as error:
            self._failed(None, email, "throttled", info, retry_after=error.retry_after)
            raise
        if len(password) > MAX_LENGTH or len(email) > MAX_EMAIL:
            # No account has such an email or password (the policy's maximum): refuse without
            # paying for a hash. The lengths are the caller's own, so this reveals nothing.
            self._refuse(None, email, "too_long", info)
        user = self.users.by_email(email)
        if user is None:
            self.hasher.verify(self._dummy_hash, password)
            self._refuse(None, email, "unknown_email", info)
        if not self.hasher.verify(user.password_hash, password):
            self._refuse(user, email, "wrong_password", info)
        if not user.active:
            self._refuse(user, email, "inactive", info)
        if user.one_time_password_expired(now):
            # The password was right, so saying why is no leak and no failure to count.
            self._failed(user, email, "one_time_password_expired", info)
            raise OneTimePasswordExpired()
        if self.hasher.needs_rehash(user.password_hash):
            user = self._rehash(user, password)
        self.throttle.record_success(self.failures, email=email)
        with self.uow.transaction():
            pair = self.sessions.start(user, now)
            self.auditor.record(
                "authn_login",
                Outcome.SUCCESS,
                info,
                actor=user.id,
                target_type="user",
                target_id=user.id,
            )
        return pair

    def _rehash(self, user: User, password: str) -> User:
        new_hash = self.hasher.hash(password)
        # Read again after the slow hash: a deactivation or password change saved meanwhile
        # must not be overwritten with the copy read before verifying.
        fresh = self.users.get(user.id)
        if fresh is None or fresh.password_hash != user.password_hash:
            return user
        fresh = attrs.evolve(fresh, password_hash=new_hash)
        self.users.save(fresh)
        return fresh

    def _refuse(self, user: User | None, email: str, reason: str, info: RequestInfo) -> NoReturn:
        self.throttle.record_failure(self.failures, email=email, ip=info.ip, now=self.clock.now())
        self._failed(user, email, reason, info)
        raise NotAuthenticated(LOGIN_FAILED)

    def _failed(
        self, user: User | None, email: str, reason: str, info: RequestInfo, **extra: object
    ) -> None:
        # The email as typed is kept (escaped) so that attacks on one account can be seen.
        self.auditor.record(
            "authn_login",
            Outcome.FAILURE,
            info,
            actor=None if user is None else user.id,
            target_type="user",
            target_id="" if user is None else user.id,
            detail={"email": email, "reason": reason, **extra},
        )


@attrs.frozen(kw_only=True)
class Logout:
    """End the caller's session: its access token (until it expires) and its refresh family.

    An access token that names no family (a codec without `sid`) ends every session of the
    user instead: safe, if broader than asked.
    """

    refresh_tokens: RefreshTokenStore
    revocations: RevocationStore
    auditor: Auditor
    clock: Clock

    def __call__(self, principal: Principal, info: RequestInfo) -> None:
        if principal.user_id is None:
            raise Forbidden("an API key has no session to end; revoke the key instead")
        now = self.clock.now()
        revoke_access_token(principal, self.revocations)
        if principal.session_id is not None:
            self.refresh_tokens.revoke_family(principal.session_id, now)
        else:
            self.refresh_tokens.revoke_user(principal.user_id, now)
        self.auditor.record(
            "authn_logout",
            Outcome.SUCCESS,
            info,
            actor=principal.actor,
            target_type="user",
            target_id=principal.user_id,
            detail={"jti": principal.token_id or "", "session": principal.session_id or "all"},
        )
