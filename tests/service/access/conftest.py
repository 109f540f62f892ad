"""Access use cases on the in-memory stores, with a fast fake hasher and token codec.

The real argon2 hasher and JWT codec have their own adapter tests; here speed matters and the
fakes count what the use cases ask of them (how many hashes were verified, for instance).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import cast

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
from pricing_adapters.access_wiring import AccessServices
from pricing_adapters.bootstrap import Ports, build_container
from pricing_adapters.memory_uow import MemoryUnitOfWork
from pricing_adapters.secrets import SystemSecrets
from pricing_adapters.settings import Settings
from pricing_core.access import service as svc
from pricing_core.access.audit import RequestInfo
from pricing_core.access.model import AuditEvent, AuditQuery, Principal, User
from pricing_core.access.passwords import PasswordPolicy
from pricing_core.access.ports import AccessClaims, RevocationStore, TokenCodec
from pricing_core.access.roles import Role
from pricing_core.access.tokens import ThrottlePolicy
from pricing_core.errors import InvalidToken
from tests.gear.clock import FakeClock

T0 = datetime(2026, 3, 2, 9, 0, 0, 250_000, tzinfo=UTC)
INFO = RequestInfo(ip="203.0.113.7", user_agent="pytest", request_id="req-1")
ADMIN_PASSWORD = "admin horse battery staple"
USER_PASSWORD = "user horse battery staple"


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
    """Every access use case, built by `build_container` on the memory stores and the fakes
    above, plus those stores and fakes for assertions."""

    ports: Ports
    access: AccessServices

    # The pieces given to build_container, typed as the fakes and stores they are.
    @property
    def clock(self) -> FakeClock:
        return cast(FakeClock, self.ports.clock)

    @property
    def hasher(self) -> FakeHasher:
        return cast(FakeHasher, self.ports.hasher)

    @property
    def codec(self) -> TokenCodec:
        return cast(TokenCodec, self.ports.token_codec)

    @property
    def users(self) -> InMemoryUserStore:
        return cast(InMemoryUserStore, self.ports.users)

    @property
    def refresh_tokens(self) -> InMemoryRefreshTokenStore:
        return cast(InMemoryRefreshTokenStore, self.ports.refresh_tokens)

    @property
    def revocations(self) -> RevocationStore:
        return cast(RevocationStore, self.ports.revocations)

    @property
    def api_keys(self) -> InMemoryApiKeyStore:
        return cast(InMemoryApiKeyStore, self.ports.api_keys)

    @property
    def audit(self) -> InMemoryAuditLog:
        return cast(InMemoryAuditLog, self.ports.audit_log)

    @property
    def secrets(self) -> SystemSecrets:
        return cast(SystemSecrets, self.ports.secrets)

    @property
    def login(self) -> svc.Login:
        return self.access.login

    @property
    def refresh(self) -> svc.Refresh:
        return self.access.refresh

    @property
    def logout(self) -> svc.Logout:
        return self.access.logout

    @property
    def authenticate(self) -> svc.Authenticate:
        return self.access.authenticate

    @property
    def change_password(self) -> svc.ChangePassword:
        return self.access.change_password

    @property
    def change_role(self) -> svc.ChangeRole:
        return self.access.change_role

    @property
    def deactivate(self) -> svc.DeactivateUser:
        return self.access.deactivate_user

    @property
    def reactivate(self) -> svc.ReactivateUser:
        return self.access.reactivate_user

    @property
    def reset_password(self) -> svc.ResetPassword:
        return self.access.reset_password

    @property
    def register(self) -> svc.Register:
        return self.access.register

    @property
    def create_user(self) -> svc.CreateUser:
        return self.access.create_user

    @property
    def list_users(self) -> svc.ListUsers:
        return self.access.list_users

    @property
    def get_user(self) -> svc.GetUser:
        return self.access.get_user

    @property
    def update_profile(self) -> svc.UpdateProfile:
        return self.access.update_profile

    @property
    def create_key(self) -> svc.CreateApiKey:
        return self.access.create_api_key

    @property
    def revoke_key(self) -> svc.RevokeApiKey:
        return self.access.revoke_api_key

    @property
    def list_keys(self) -> svc.ListApiKeys:
        return self.access.list_api_keys

    @property
    def read_audit(self) -> svc.ReadAudit:
        return self.access.read_audit

    @property
    def record_denied(self) -> svc.RecordDenied:
        return self.access.record_denied

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
    """The access services of `build_container` on memory stores, with the fakes above."""
    registration = registration or svc.RegistrationPolicy()
    settings = Settings.from_env(
        {
            "PRICING_DATABASE_URL": "memory://",
            "PRICING_REGISTRATION_ENABLED": "true" if registration.enabled else "false",
            "PRICING_REGISTRATION_DOMAINS": ",".join(sorted(registration.allowed_domains)),
        }
    )
    uow = MemoryUnitOfWork()  # the stores' changes and their audit rows commit together
    ports = Ports(
        unit_of_work=uow,
        clock=FakeClock(),
        hasher=hasher or FakeHasher(),
        token_codec=codec or FakeCodec(),
        users=InMemoryUserStore(uow=uow),
        refresh_tokens=InMemoryRefreshTokenStore(uow=uow),
        revocations=revocations or InMemoryRevocationStore(),
        api_keys=InMemoryApiKeyStore(uow=uow),
        audit_log=InMemoryAuditLog(uow=uow),
        failures=InMemoryFailureCounter(window=ThrottlePolicy().window),
        secrets=SystemSecrets(),
        passwords=PasswordPolicy(
            blocklist=frozenset({"password", "letmein", "qwerty"}), context_words=("Acme",)
        ),
    )
    return World(
        ports=ports,
        access=build_container(settings, ports=ports).access,
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
