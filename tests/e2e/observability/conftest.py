"""Gear for observability over HTTP: the app with an admin signed in, Sentry captured in memory.

`observed` is the real app on in-memory stores with JSON logs; `capture_sentry` initialises
Sentry with a transport that keeps every envelope in a list (no network) and tears it down.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
import sentry_sdk
from litestar import Litestar
from litestar.testing import TestClient
from sentry_sdk.envelope import Envelope
from sentry_sdk.integrations.litestar import LitestarIntegration
from sentry_sdk.transport import Transport

from pricing_adapters.bootstrap import Container
from pricing_adapters.process import start_process
from pricing_adapters.settings import Settings
from pricing_api.http.app import create_app
from pricing_api.http.observability import start_api_process
from pricing_core.access.audit import RequestInfo
from pricing_core.access.model import Principal
from pricing_core.access.roles import Role
from tests.adapters.observability.conftest import promtool  # noqa: F401 - a fixture
from tests.gear.worlds import settings_for as gear_settings
from tests.gear.worlds import world

PASSWORD = "correct horse battery staple 42"
ADMIN_EMAIL = "admin@example.com"
SYSTEM = Principal(role=Role.ADMIN, user_id="system:tests")


class CaptureTransport(Transport):
    """Keeps what Sentry would send; `events()` are the error events among it."""

    def __init__(self, options: Any = None) -> None:
        super().__init__(options)
        self.envelopes: list[Envelope] = []

    def capture_envelope(self, envelope: Envelope) -> None:
        self.envelopes.append(envelope)

    def events(self) -> list[dict[str, Any]]:
        return [
            item.payload.json
            for envelope in self.envelopes
            for item in envelope.items
            if item.type == "event" and item.payload.json is not None
        ]

    def raw(self) -> str:
        """Every envelope as it would go over the wire."""
        return "".join(
            envelope.serialize().decode("utf-8", "replace") for envelope in self.envelopes
        )


# TestClient's requests come from "testclient", no address of any allowed network: the
# tests scrape /metrics with the token, as a Prometheus on another host would.
METRICS_TOKEN = "test-metrics-token-0123456789"


def settings_for(data_dir: Path, **env: str) -> Settings:
    defaults = {
        "PRICING_BUNDLED_DATA": "false",
        "PRICING_LOG_FORMAT": "json",
        "PRICING_METRICS_TOKEN": METRICS_TOKEN,
    }
    return gear_settings(data_dir, **{**defaults, **env})


def scraper() -> dict[str, str]:
    """The headers of an allowed scrape."""
    return {"Authorization": f"Bearer {METRICS_TOKEN}"}


@attrs.define
class Observed:
    container: Container
    client: TestClient[Litestar]
    admin_id: str
    admin_token: str

    def admin(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.admin_token}"}

    def scrape(self) -> str:
        response = self.client.get("/metrics", headers=scraper())
        assert response.status_code == 200
        return response.text


def open_observed(
    settings: Settings,
    extra: list[Any] | None = None,
    adjust: Callable[[Container], Container] = lambda c: c,
) -> Iterator[Observed]:
    """The app over `settings` (and `extra` routes), on the container `adjust` returns."""
    container = world(settings)
    user, _ = container.access.create_user(
        SYSTEM, ADMIN_EMAIL, Role.ADMIN, "Ada", PASSWORD, RequestInfo()
    )
    token = container.access.login(ADMIN_EMAIL, PASSWORD, RequestInfo()).access_token
    container = adjust(container)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    process = start_api_process(container)  # as a serving process: logs configured
    try:
        with TestClient(create_app(container, extra=extra)) as client:
            yield Observed(container, client, user.id, token)
    finally:
        process.stop()
        root.handlers[:] = handlers
        root.setLevel(level)


@pytest.fixture
def observed(tmp_path: Path) -> Iterator[Observed]:
    yield from open_observed(settings_for(tmp_path))


@pytest.fixture
def capture_sentry(tmp_path: Path) -> Iterator[CaptureTransport]:
    """Sentry initialised as an API process does it, its envelopes kept in memory."""
    transport = CaptureTransport()
    settings = settings_for(tmp_path, PRICING_SENTRY_DSN="https://public@sentry.invalid/1")
    assert start_process(
        settings,
        logs=False,
        release="test",
        integrations=[LitestarIntegration()],
        transport=transport,
    ).reporting
    try:
        yield transport
    finally:
        sentry_sdk.get_client().close()
        sentry_sdk.get_global_scope().set_client(None)
