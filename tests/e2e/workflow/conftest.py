"""Gear for the saved-request workflow over HTTP: the real app on memory, SQLite or PostgreSQL.

The market is a small release of `acme-2025` (the contract suites' literal rows), loaded
through the container's loader; titles are matched against its occupations. Accounts are made
through `container.access.create_user` by an administrator and log in through
POST /api/v1/auth/login: everything under test goes through HTTP.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from pricing_adapters.bootstrap import Container, Ports
from pricing_adapters.settings import Settings
from pricing_api.http.app import create_app
from pricing_core.access.audit import RequestInfo
from pricing_core.access.model import Principal, User
from pricing_core.access.roles import Role
from pricing_core.matching.model import Occupation
from pricing_core.matching.service import TitleMatcher
from tests.contract.conftest import JOBS, NAME, release, rows
from tests.gear.clock import FakeClock
from tests.gear.worlds import open_world

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PASSWORD = "correct horse battery staple 42"
KEYS = json.dumps(
    {"signing": "k1", "keys": {"k1": {"alg": "HS256", "secret": "a" * 43}}}
)  # 32 bytes of base64url: a test-only key
SWE = "15-1252"
SAN_JOSE = "0041940"
BODY: dict[str, Any] = {
    "matches": [{"source": NAME, "job_code": SWE, "quality": "exact", "adjustment": 0}],
    "area": SAN_JOSE,
    "date": "2025-05-12",  # the cuts' effective date: no aging, so figures are the cut's own
}
# Someone who may make the first accounts; never a user, never logged in.
FOUNDER = Principal(role=Role.ADMIN, user_id="founder")


@attrs.define
class Api:
    """The app over HTTP, its container, and a token per account made so far."""

    container: Container
    client: TestClient[Litestar]
    tokens: dict[str, str] = attrs.field(factory=dict)

    def account(self, role: Role, name: str = "") -> User:
        email = f"{name or role.lower()}-{len(self.tokens)}@example.com"
        user, _ = self.container.access.create_user(
            FOUNDER, email, role.value, name, PASSWORD, RequestInfo()
        )
        answer = self.client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        assert answer.status_code == 200, answer.text
        self.tokens[user.id] = answer.json()["access_token"]
        return user

    def call(self, who: User, method: str, path: str, **kw: Any) -> Any:
        headers = {**kw.pop("headers", {}), "Authorization": f"Bearer {self.tokens[who.id]}"}
        return self.client.request(method, path, headers=headers, **kw)

    def load_market(self, label: str, swe_p50: str = "213110") -> None:
        report = self.container.market_loader.load(
            release(label, rows(swe_p50)), imported_by="tests"
        )
        assert report.outcome == "loaded", report


def settings_for(data_dir: Path, url: str) -> Settings:
    return Settings.from_env(
        {
            "PRICING_DATA_DIR": str(data_dir),
            "PRICING_DATABASE_URL": url,
            "PRICING_BUNDLED_DATA": "false",
            "PRICING_TITLE_SOURCE": NAME,
            "PRICING_JWT_KEYS": KEYS,
        }
    )


def open_api(settings: Settings, title_matcher: TitleMatcher | None = None) -> Iterator[Api]:
    clock = FakeClock(T0, step=timedelta(seconds=1))  # every change has a time of its own
    ports = Ports(clock=clock, title_matcher=title_matcher)
    with (
        open_world(settings, ports=ports) as container,
        TestClient(create_app(container)) as client,
    ):
        api = Api(container=container, client=client)
        api.load_market("v1")
        yield api


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    """The app on in-memory stores."""
    yield from open_api(settings_for(tmp_path, "memory://"))


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def any_api(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Api]:
    """The app on each backend in turn: memory, a SQLite file, a fresh PostgreSQL database."""
    url = "memory://"
    if request.param != "memory":
        url = request.getfixturevalue(f"{request.param}_url")
    yield from open_api(settings_for(tmp_path, url))


@pytest.fixture
def titled_api(tmp_path: Path) -> Iterator[Api]:
    """On memory, matching titles against the release's occupations alone (the shipped alias
    list names OEWS occupations that this small release does not have)."""
    occupations = [Occupation(code=code, title=title) for code, title in JOBS.items()]
    matcher = TitleMatcher.build(occupations, [])
    yield from open_api(settings_for(tmp_path, "memory://"), matcher)
