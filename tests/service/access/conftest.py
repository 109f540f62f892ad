"""Access use cases on the in-memory stores, with a fast fake hasher and token codec.

The real argon2 hasher and JWT codec have their own adapter tests; here speed matters and the
fakes count what the use cases ask of them (how many hashes were verified, for instance).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta

import attrs
import pytest

from pricing_adapters.access_memory import (
    InMemoryApiKeyStore,
    InMemoryAuditLog,
    InMemoryFailureCounter,
    InMemoryRefreshTokenStore,
    InMemoryRevocationStore,
    InMemoryUserStore,
)
from pricing_adapters.secrets import SystemSecrets
from pricing_core.access import service as svc
from pricing_core.access.audit import RequestInfo
from pricing_core.access.model import AuditEvent, AuditQuery, Principal, User
from pricing_core.access.passwords import PasswordPolicy
from pricing_core.access.ports import AccessClaims, RevocationStore, TokenCodec
from pricing_core.access.roles import Role
from pricing_core.access.tokens import ThrottlePolicy, TokenPolicy
from pricing_core.errors import InvalidToken

T0 = datetime(2026, 3, 2, 9, 0, 0, 250_000, tzinfo=UTC)
INFO = RequestInfo(ip="203.0.113.7", user_agent="pytest", request_id="req-1")
ADMIN_PASSWORD = "admin horse battery staple"
USER_PASSWORD = "user horse battery staple"


class MovingClock:
    """A clock that stands still until a test moves it."""

    def __init__(self, instant: datetime = T0) -> None:
        self.instant = instant

    def now(self) -> datetime:
        return self.instant

    def today(self) -> date:
        return self.instant.date()

    def advance(self, **delta: float) -> None:
        self.instant += timedelta(**delta)


class FakeHasher:
    """`fake$v<version>$sha256`: fast, versioned so that rehashing can be seen."""

    def __init__(self, version: int = 2) -> None:
        self.version = version
        self.hashed = 0
        self.verified = 0

    def _digest(self, version: int, password: str) -> str:
        return f"fake$v{version}$" + hashlib.sha256(f"{version}:{password}".encode()).hexdigest()

    def hash(self, password: str) -> str:
        self.hashed += 1
        return self._digest(self.version, password)

    def verify(self, password_hash: str, password: str) -> bool:
        self.verified += 1
        version = int(password_hash.split("$")[1][1:])
        return password_hash == self._digest(version, password)

    def needs_rehash(self, password_hash: str) -> bool:
        return not password_hash.startswith(f"fake$v{self.version}$")


class FakeCodec:
    """Tokens are opaque names for claims kept here; expiry and `iat` checked like PyJWT's."""

    def __init__(self, leeway: timedelta = timedelta(seconds=10), *, carry_sid: bool = True):
        self.leeway = leeway
        self.carry_sid = carry_sid
        self.claims: dict[str, AccessClaims] = {}

    def encode(self, claims: AccessClaims) -> str:
        token = f"eyJ.fake.{claims.jti}"
        self.claims[token] = claims if self.carry_sid else attrs.evolve(claims, sid=None)
        return token

    def decode(self, token: str, now: datetime) -> AccessClaims:
        claims = self.claims.get(token)
        if claims is None:
            raise InvalidToken("unknown token")
        if claims.exp <= now - self.leeway:
            raise InvalidToken("expired")
        if claims.iat > now + self.leeway:
            raise InvalidToken("issued in the future")
        return claims


@attrs.define
class World:
    """Every access use case wired on memory stores, plus the stores for assertions."""

    clock: MovingClock
    hasher: FakeHasher
    codec: TokenCodec
    users: InMemoryUserStore
    refresh_tokens: InMemoryRefreshTokenStore
    revocations: RevocationStore
    api_keys: InMemoryApiKeyStore
    audit: InMemoryAuditLog
    failures: InMemoryFailureCounter
    secrets: SystemSecrets
    throttle: ThrottlePolicy
    passwords: PasswordPolicy
    tokens: TokenPolicy
    registration: svc.RegistrationPolicy
    login: svc.Login = attrs.field(init=False)
    refresh: svc.Refresh = attrs.field(init=False)
    logout: svc.Logout = attrs.field(init=False)
    authenticate: svc.Authenticate = attrs.field(init=False)
    change_password: svc.ChangePassword = attrs.field(init=False)
    change_role: svc.ChangeRole = attrs.field(init=False)
    deactivate: svc.DeactivateUser = attrs.field(init=False)
    reactivate: svc.ReactivateUser = attrs.field(init=False)
    reset_password: svc.ResetPassword = attrs.field(init=False)
    register: svc.Register = attrs.field(init=False)
    create_user: svc.CreateUser = attrs.field(init=False)
    list_users: svc.ListUsers = attrs.field(init=False)
    get_user: svc.GetUser = attrs.field(init=False)
    update_profile: svc.UpdateProfile = attrs.field(init=False)
    create_key: svc.CreateApiKey = attrs.field(init=False)
    revoke_key: svc.RevokeApiKey = attrs.field(init=False)
    list_keys: svc.ListApiKeys = attrs.field(init=False)
    read_audit: svc.ReadAudit = attrs.field(init=False)
    record_denied: svc.RecordDenied = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        auditor = svc.Auditor(log=self.audit, clock=self.clock)
        sessions = svc.Sessions(
            codec=self.codec,
            refresh_tokens=self.refresh_tokens,
            secrets=self.secrets,
            policy=self.tokens,
        )
        clock, failures, throttle = self.clock, self.failures, self.throttle
        accounts = svc.AccountFactory(
            users=self.users,
            hasher=self.hasher,
            passwords=self.passwords,
            secrets=self.secrets,
            auditor=auditor,
            clock=clock,
        )
        self.login = svc.Login(
            users=self.users,
            hasher=self.hasher,
            sessions=sessions,
            failures=failures,
            throttle=throttle,
            auditor=auditor,
            clock=clock,
        )
        self.refresh = svc.Refresh(
            users=self.users, sessions=sessions, auditor=auditor, clock=clock
        )
        self.logout = svc.Logout(
            refresh_tokens=self.refresh_tokens,
            revocations=self.revocations,
            auditor=auditor,
            clock=clock,
        )
        self.authenticate = svc.Authenticate(
            users=self.users,
            codec=self.codec,
            revocations=self.revocations,
            api_keys=self.api_keys,
            secrets=self.secrets,
            auditor=auditor,
            clock=clock,
        )
        self.change_password = svc.ChangePassword(
            users=self.users,
            hasher=self.hasher,
            passwords=self.passwords,
            sessions=sessions,
            revocations=self.revocations,
            failures=failures,
            throttle=throttle,
            auditor=auditor,
            clock=clock,
        )
        self.change_role = svc.ChangeRole(
            users=self.users,
            sessions=sessions,
            api_keys=self.api_keys,
            auditor=auditor,
            clock=clock,
        )
        self.deactivate = svc.DeactivateUser(
            users=self.users,
            sessions=sessions,
            api_keys=self.api_keys,
            auditor=auditor,
            clock=clock,
        )
        self.reactivate = svc.ReactivateUser(users=self.users, auditor=auditor)
        self.reset_password = svc.ResetPassword(accounts=accounts, sessions=sessions)
        self.register = svc.Register(accounts=accounts, policy=self.registration)
        self.create_user = svc.CreateUser(accounts=accounts)
        self.list_users = svc.ListUsers(users=self.users)
        self.get_user = svc.GetUser(users=self.users)
        self.update_profile = svc.UpdateProfile(users=self.users, auditor=auditor)
        self.create_key = svc.CreateApiKey(
            api_keys=self.api_keys, secrets=self.secrets, auditor=auditor, clock=clock
        )
        self.revoke_key = svc.RevokeApiKey(api_keys=self.api_keys, auditor=auditor, clock=clock)
        self.list_keys = svc.ListApiKeys(api_keys=self.api_keys)
        self.read_audit = svc.ReadAudit(log=self.audit)
        self.record_denied = svc.RecordDenied(auditor=auditor)

    def add_user(
        self, email: str, password: str = USER_PASSWORD, role: Role = Role.VIEWER, **kw: object
    ) -> User:
        user = User(
            id=self.secrets.new_id(),
            email=email,
            role=role,
            password_hash=self.hasher.hash(password),
            created_at=self.clock.now(),
            **kw,  # type: ignore[arg-type]
        )
        self.users.add(user)
        return user

    def principal(self, user: User) -> Principal:
        """The caller as Authenticate sees them after a real login."""
        password = ADMIN_PASSWORD if user.role is Role.ADMIN else USER_PASSWORD
        pair = self.login(user.email, password, INFO)
        return self.authenticate(pair.access_token, INFO)

    def events(self, action: str | None = None) -> list[AuditEvent]:
        events, _ = self.audit.query(AuditQuery(action=action, limit=200))
        return list(events)


def make_world(
    *,
    codec: TokenCodec | None = None,
    revocations: RevocationStore | None = None,
    registration: svc.RegistrationPolicy | None = None,
    hasher: FakeHasher | None = None,
) -> World:
    throttle = ThrottlePolicy()
    return World(
        clock=MovingClock(),
        hasher=hasher or FakeHasher(),
        codec=codec or FakeCodec(),
        users=InMemoryUserStore(),
        refresh_tokens=InMemoryRefreshTokenStore(),
        revocations=revocations or InMemoryRevocationStore(),
        api_keys=InMemoryApiKeyStore(),
        audit=InMemoryAuditLog(),
        failures=InMemoryFailureCounter(window=throttle.window),
        secrets=SystemSecrets(),
        throttle=throttle,
        passwords=PasswordPolicy(
            blocklist=frozenset({"password", "letmein", "qwerty"}), context_words=("Acme",)
        ),
        tokens=TokenPolicy(),
        registration=registration or svc.RegistrationPolicy(),
    )


@pytest.fixture
def world() -> World:
    return make_world()


@pytest.fixture
def admin(world: World) -> User:
    return world.add_user("admin@acme.test", ADMIN_PASSWORD, Role.ADMIN)


@pytest.fixture
def user(world: World) -> User:
    return world.add_user("Jane.Doe@Acme.test", USER_PASSWORD, Role.HR_ANALYST)
