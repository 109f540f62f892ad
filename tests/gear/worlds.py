"""Worlds for tests, built by `build_container` as the apps build theirs.

`settings_for` gives settings on a data folder of the test's own (memory:// unless told);
`open_world` builds the container with any `Ports` overrides, prepares it (migrations and
the shipped data, unless told not to) and disposes of its engine afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pricing_adapters.bootstrap import Container, Ports
    from pricing_adapters.settings import Settings

__all__ = ["close_world", "open_world", "settings_for", "world"]


def settings_for(data_dir: Path | str, database_url: str = "memory://", **env: str) -> Settings:
    """Settings as the environment would give them: PRICING_* names in `env`."""
    from pricing_adapters.settings import Settings

    return Settings.from_env(
        {"PRICING_DATA_DIR": str(data_dir), "PRICING_DATABASE_URL": database_url, **env}
    )


def world(settings: Settings, *, ports: Ports | None = None, prepared: bool = True) -> Container:
    """The container of `settings`, prepared like a command's first use unless told not."""
    from pricing_adapters.bootstrap import build_container
    from pricing_adapters.prepare import prepare

    container = build_container(settings, ports=ports)
    if prepared:
        prepare(container)
    return container


def close_world(container: Container) -> None:
    if container.engine is not None:
        container.engine.dispose()


@contextmanager
def open_world(
    settings: Settings, *, ports: Ports | None = None, prepared: bool = True
) -> Iterator[Container]:
    container = world(settings, ports=ports, prepared=prepared)
    try:
        yield container
    finally:
        close_world(container)
