"""Service tests: use cases assembled by the composition root on the shipped market data."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pricing_adapters.bootstrap import Container, Ports, build_container
from pricing_adapters.clock import FixedClock
from pricing_adapters.prepare import prepare
from pricing_adapters.settings import Settings


@pytest.fixture(scope="session")
def container(tmp_path_factory: pytest.TempPathFactory) -> Container:
    data_dir = tmp_path_factory.mktemp("data")
    settings = Settings.from_env(
        {"PRICING_DATA_DIR": str(data_dir), "PRICING_DATABASE_URL": "memory://"}
    )
    services = build_container(
        settings, ports=Ports(clock=FixedClock(datetime(2026, 1, 1, 12, tzinfo=UTC)))
    )
    prepare(services)
    return services
