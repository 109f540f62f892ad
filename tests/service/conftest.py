"""Service tests: use cases assembled by the composition root on the shipped market data."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pricing_adapters.bootstrap import Container, Ports
from tests.gear.clock import FakeClock
from tests.gear.worlds import settings_for, world


@pytest.fixture(scope="session")
def container(tmp_path_factory: pytest.TempPathFactory) -> Container:
    settings = settings_for(tmp_path_factory.mktemp("data"))
    return world(settings, ports=Ports(clock=FakeClock(datetime(2026, 1, 1, 12, tzinfo=UTC))))
