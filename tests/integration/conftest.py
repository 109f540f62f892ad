"""Integration gear: the shipped data prepared once per session in an empty PostgreSQL database.

The index test reads its query plans there, and the first-use test checks what `prepare()`
did to it: one migration, one load of 370,172 cuts, and nothing the second time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import attrs
import pytest

from pricing_adapters.bootstrap import Container, Ports, build_container
from pricing_adapters.clock import FixedClock
from pricing_adapters.prepare import prepare
from pricing_adapters.settings import Settings
from pricing_core.market.imports import ImportReport
from tests.conftest import fresh_postgres_database

CLOCK = FixedClock(datetime(2026, 1, 1, 12, tzinfo=UTC))


def container_for(url: str, data_dir: str, *, bundled: bool = True) -> Container:
    """The composition root on `url`, as the apps build it from the environment."""
    settings = Settings.from_env(
        {
            "PRICING_DATA_DIR": data_dir,
            "PRICING_DATABASE_URL": url,
            "PRICING_BUNDLED_DATA": "true" if bundled else "false",
        }
    )
    return build_container(settings, ports=Ports(clock=CLOCK))


@attrs.frozen
class Prepared:
    container: Container
    first_report: ImportReport | None


@pytest.fixture(scope="session")
def bundled_postgres(
    postgres_server: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Prepared]:
    """An empty PostgreSQL database after `prepare()`: migrated and seeded with the extract."""
    for url in fresh_postgres_database(postgres_server):
        container = container_for(url, str(tmp_path_factory.mktemp("pg-data")))
        yield Prepared(container=container, first_report=prepare(container))
        assert container.engine is not None
        container.engine.dispose()


@pytest.fixture
def make_container(tmp_path: Path) -> Callable[..., Container]:
    """`make_container(url, bundled=...)`: a container with its own data folder."""

    def make(url: str, *, bundled: bool = True) -> Container:
        return container_for(url, str(tmp_path), bundled=bundled)

    return make
