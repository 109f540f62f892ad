"""Gear for the pricing, market and readiness endpoints over HTTP.

`api` is the real app on the in-memory stores seeded with the shipped OEWS extract, a fixed
clock (2026-01-01) and one logged-in account per role: accounts are made through
`container.access.create_user` and their tokens come from `container.access.login`, so the
real hasher and token codec are used. `fresh_api` is the same app for one test (a test that
imports or activates changes what others would see). `sql_api` runs on SQLite and on
PostgreSQL (the `database_url` fixture) without the shipped extract: a handful of areas is
saved directly, and market data comes in through the API.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import attrs
import pytest
from click.testing import CliRunner
from litestar import Litestar
from litestar.testing import TestClient

from pricing_adapters.bootstrap import Container, Ports
from pricing_adapters.settings import Settings
from pricing_api.cli import cli
from pricing_api.http.app import create_app
from pricing_core.access.audit import RequestInfo
from pricing_core.access.model import AuditEvent, AuditQuery, Principal
from pricing_core.access.roles import Role
from pricing_core.market.model import Area
from tests.gear.clock import FakeClock
from tests.gear.worlds import open_world, settings_for

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
PASSWORD = "correct horse battery staple 42"
SYSTEM = Principal(role=Role.ADMIN, user_id="system:tests")
HEADER = (
    "job_code,job_title,area_code,industry_code,currency,effective_date,"
    "p10,p25,p50,p75,p90,pay_period,incumbents,organizations\n"
)
SURVEY = HEADER + (
    "ENG-SWE-P3,Software Engineer III,0041940,,USD,2025-11-01,,,15000,,,monthly,120,12\n"
    "ENG-SWE-P4,Software Engineer IV,0041940,,USD,2025-11-01,,,18000,,,monthly,9,3\n"
    "ENG-SWE-P2,Software Engineer II,0600000,,USD,2025-11-01,,,10000,,,monthly,300,20\n"
)
# Enough of the areas tree for surveys on a database without the shipped extract.
AREAS = (
    Area(code="0000000", name="U.S.", kind="national"),
    Area(code="0600000", name="California", kind="state", parent="0000000"),
    Area(code="0041940", name="San Jose-Sunnyvale-Santa Clara, CA", kind="metro", parent="0600000"),
)


@attrs.define
class Api:
    """The app over HTTP, its container, and an access token per role."""

    container: Container
    client: TestClient[Litestar]
    tokens: dict[Role, str]

    @property
    def app(self) -> Litestar:
        app: Litestar = self.client.app
        return app

    def headers(self, role: Role = Role.ADMIN) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    def quote(self, body: dict[str, Any], role: Role = Role.VIEWER) -> Any:
        return self.client.post("/api/v1/pricing/quote", json=body, headers=self.headers(role))

    def get(self, path: str, role: Role = Role.VIEWER, **params: Any) -> Any:
        return self.client.get(path, params=params, headers=self.headers(role))

    def upload(
        self,
        content: bytes | str,
        name: str = "mercer-2025.csv",
        media_type: str = "text/csv",
        role: Role = Role.ADMIN,
        **form: Any,
    ) -> Any:
        data = content.encode() if isinstance(content, str) else content
        return self.client.post(
            "/api/v1/market/imports",
            files={"file": (name, data, media_type)},
            data={"source": "mercer-2025", **form},
            headers=self.headers(role),
        )

    def cli(self, *args: str) -> tuple[int, Any]:
        """`pricing ARGS --json` on the same container: (exit code, parsed JSON output)."""
        result = CliRunner().invoke(cli, [*args, "--json"], obj=self.container)
        lines = [line for line in result.stdout.splitlines() if line.strip()]
        return result.exit_code, json.loads(lines[-1]) if lines else None

    def events(self, **filters: Any) -> list[AuditEvent]:
        found, _ = self.container.access.audit_log.query(AuditQuery(limit=200, **filters))
        return list(found)


def sign_in_each_role(container: Container) -> dict[Role, str]:
    """One account per role, made and logged in through the access use cases."""
    tokens = {}
    for role in Role:
        email = f"{role.lower()}@example.com"
        container.access.create_user(SYSTEM, email, role, role.title(), PASSWORD, RequestInfo())
        tokens[role] = container.access.login(email, PASSWORD, RequestInfo()).access_token
    return tokens


def open_api(settings: Settings, *, areas: tuple[Area, ...] = ()) -> Iterator[Api]:
    with open_world(settings, ports=Ports(clock=FakeClock(T0))) as container:
        if areas:
            container.market_loader.save_areas(areas)
        tokens = sign_in_each_role(container)
        with TestClient(create_app(container)) as client:
            yield Api(container=container, client=client, tokens=tokens)


# The rate limiter runs, with quotas nobody reaches: the package's tests share one app and
# would meet 429 after a few hundred requests per role (the limits have tests of their own).
UNLIMITED = ",".join(f"{who}=unlimited" for who in (*Role, "anonymous", "auth"))


@pytest.fixture(scope="package")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """The app on memory stores with the shipped extract; tests must not change its data."""
    yield from open_api(settings_for(tmp_path_factory.mktemp("api"), PRICING_RATE_LIMITS=UNLIMITED))


@pytest.fixture
def fresh_api(tmp_path: Path) -> Iterator[Api]:
    """The same app for one test, free to import and activate."""
    yield from open_api(settings_for(tmp_path))


@pytest.fixture
def sql_api(tmp_path: Path, database_url: str) -> Iterator[Api]:
    """The app on SQLite, then on PostgreSQL: no shipped extract, three areas."""
    settings = settings_for(tmp_path, database_url, PRICING_BUNDLED_DATA="false")
    yield from open_api(settings, areas=AREAS)
