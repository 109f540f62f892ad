"""Gear for the access endpoints over HTTP: apps on memory, SQLite, or PostgreSQL and Redis.

Most tests use `api`: the real app (real argon2id hasher, real PyJWT codec with a known key
set) on in-memory stores, with a clock the test moves. Accounts are put straight into the
user store with a hash computed once per session, so that setting up a dozen users costs no
hashing; everything under test goes through HTTP. `pg_api` is the same app on a fresh
PostgreSQL database and the real Redis, for the checklist items that need real servers.
"""

from __future__ import annotations

import json
import uuid
from base64 import urlsafe_b64encode
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import attrs
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from litestar import Litestar
from litestar.testing import TestClient

from pricing_adapters.argon2_hasher import Argon2PasswordHasher
from pricing_adapters.bootstrap import Container, Ports
from pricing_adapters.settings import Settings
from pricing_api.http.app import create_app
from pricing_core.access.model import AuditEvent, AuditQuery, User
from pricing_core.access.roles import Role
from tests.gear.clock import FakeClock
from tests.gear.worlds import open_world

T0 = datetime(2026, 3, 2, 9, 0, 0, 250_000, tzinfo=UTC)
PASSWORD = "correct horse battery staple 42"
ISSUER, AUDIENCE = "job-pricing", "job-pricing-api"

# A key set the tests know, so they can forge tokens: an HS256 signing key and an EdDSA key.
HS_SECRET = b"k1-secret-for-tests-only-32-bytes-long!!"
ED_PRIVATE = Ed25519PrivateKey.generate()
ED_PUBLIC_PEM = (
    ED_PRIVATE.public_key()
    .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    .decode()
)
ED_PRIVATE_PEM = ED_PRIVATE.private_bytes(
    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
).decode()


def b64url(data: bytes) -> str:
    return urlsafe_b64encode(data).decode().rstrip("=")


def hs_entry(secret: bytes) -> dict[str, str]:
    return {"alg": "HS256", "secret": b64url(secret)}


def key_set(signing: str = "k1", **keys: dict[str, str]) -> str:
    return json.dumps({"signing": signing, "keys": keys})


DEFAULT_KEYS = key_set(
    "k1",
    k1=hs_entry(HS_SECRET),
    e1={"alg": "EdDSA", "private_pem": ED_PRIVATE_PEM, "public_pem": ED_PUBLIC_PEM},
)


@pytest.fixture(scope="session")
def password_hash() -> str:
    """PASSWORD hashed once with the product's hasher (real parameters)."""
    return Argon2PasswordHasher().hash(PASSWORD)


@attrs.define
class Api:
    """The app over HTTP plus its container, for setting up accounts and reading stores."""

    container: Container
    client: TestClient[Litestar]
    password_hash: str
    clock: FakeClock | None = None

    @property
    def app(self) -> Litestar:
        app: Litestar = self.client.app
        return app

    def add_user(
        self, role: Role = Role.VIEWER, *, email: str | None = None, name: str = "", **kw: Any
    ) -> User:
        user = User(
            id=str(uuid.uuid4()),
            email=email or f"{role.lower()}-{uuid.uuid4().hex[:8]}@example.com",
            name=name,
            role=role,
            password_hash=kw.pop("password_hash", self.password_hash),
            created_at=self.container.clock.now(),
            **kw,
        )
        self.container.access.users.add(user)
        return user

    def login(self, email: str, password: str = PASSWORD) -> dict[str, Any]:
        response = self.client.post(
            "/api/v1/auth/login", json={"email": email, "password": password}
        )
        assert response.status_code == 200, response.text
        tokens: dict[str, Any] = response.json()
        return tokens

    def session(self, role: Role = Role.VIEWER, **kw: Any) -> tuple[User, dict[str, Any]]:
        """A new account of `role`, logged in: (user, token answer)."""
        user = self.add_user(role, **kw)
        return user, self.login(user.email)

    def user(self, user_id: str) -> User:
        found = self.container.access.users.get(user_id)
        assert found is not None
        return found

    def events(self, **filters: Any) -> list[AuditEvent]:
        found, _ = self.container.access.audit_log.query(AuditQuery(limit=200, **filters))
        return list(found)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def settings_for(data_dir: Path, database_url: str = "memory://", **env: str) -> Settings:
    return Settings.from_env(
        {
            "PRICING_DATA_DIR": str(data_dir),
            "PRICING_DATABASE_URL": database_url,
            "PRICING_BUNDLED_DATA": "false",  # access needs no market data
            "PRICING_JWT_KEYS": DEFAULT_KEYS,
            # Request rate limits have tests of their own (checklist 21-25); here they would
            # only turn the many logins from one test address into 429s. Tests that want
            # the deployed defaults pass PRICING_RATE_LIMIT_ENABLED="true".
            "PRICING_RATE_LIMIT_ENABLED": "false",
            **env,
        }
    )


def open_api(
    settings: Settings,
    password_hash: str,
    clock: FakeClock | None = None,
    *,
    migrate: bool = True,
) -> Iterator[Api]:
    with (
        open_world(settings, ports=Ports(clock=clock), prepared=migrate) as container,
        TestClient(create_app(container)) as client,
    ):
        yield Api(container=container, client=client, password_hash=password_hash, clock=clock)


class ApiFactory:
    """Opens apps on demand and closes them, newest first, when the fixture ends."""

    def __init__(self, data_dir: Path, password_hash: str) -> None:
        self.data_dir = data_dir
        self.password_hash = password_hash
        self.opened: list[Iterator[Api]] = []

    def __call__(
        self,
        database_url: str = "memory://",
        clock: FakeClock | None = None,
        *,
        migrate: bool = True,
        **env: str,
    ) -> Api:
        """An open Api; `migrate=False` skips `prepare` (a database that is not there, or
        not the app's own to migrate)."""
        settings = settings_for(self.data_dir, database_url, **env)
        generator = open_api(settings, self.password_hash, clock, migrate=migrate)
        self.opened.append(generator)
        return next(generator)

    def close(self) -> None:
        for generator in reversed(self.opened):
            next(generator, None)


@pytest.fixture
def make_api(tmp_path: Path, password_hash: str) -> Iterator[ApiFactory]:
    """`make_api(database_url=..., clock=..., **PRICING_env)` → an app of this test's own."""
    factory = ApiFactory(tmp_path, password_hash)
    yield factory
    factory.close()


@pytest.fixture(scope="module")
def make_module_api(
    tmp_path_factory: pytest.TempPathFactory, password_hash: str
) -> Iterator[ApiFactory]:
    """Like `make_api`, for apps that a module's tests share."""
    factory = ApiFactory(tmp_path_factory.mktemp("api"), password_hash)
    yield factory
    factory.close()


@pytest.fixture(scope="module")
def api(make_module_api: ApiFactory) -> Api:
    """The app on memory stores, shared by a module's tests (building one costs about half a
    second), with a clock that moves only when a test says. Tests make their own accounts and
    filter what they read by them; `fresh_api` is for tests that count app-wide state."""
    return make_module_api(clock=FakeClock())


@pytest.fixture
def fresh_api(make_api: ApiFactory) -> Api:
    """The app on memory stores, of this test's own."""
    return make_api(clock=FakeClock())


@pytest.fixture(scope="module")
def pg_api(make_module_api: ApiFactory, pg_database: str, redis_url: str) -> Api:
    """The app on PostgreSQL and the real Redis (system clock), shared by a module's tests."""
    return make_module_api(database_url=pg_database, PRICING_REDIS_URL=redis_url)
