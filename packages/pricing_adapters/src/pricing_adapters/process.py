"""What a process starts once, explicitly, before it serves: `start_process(settings)`.

Logs, error reporting and the statement figures' flusher. The API, the command line and the
worker each call it at their start; nothing here runs at import or when a container or an app
is built, so tests and tools build as many of those as they like.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib.metadata import version

import attrs
from sentry_sdk.integrations import Integration
from sentry_sdk.transport import Transport

from pricing_adapters.bootstrap import MEMORY_URL
from pricing_adapters.logging_setup import configure_logging
from pricing_adapters.sentry import init_sentry, is_reporting
from pricing_adapters.settings import Settings
from pricing_adapters.timing import StatsFlusher, Timing, stats_directory

__all__ = ["Process", "start_process"]


@attrs.define
class Process:
    """What `start_process` started; `stop()` writes the figures one last time."""

    reporting: bool
    flusher: StatsFlusher | None = None

    def stop(self) -> None:
        if self.flusher is not None:
            self.flusher.stop()


def start_process(
    settings: Settings,
    *,
    timing: Timing | None = None,
    logs: bool = True,
    release: str | None = None,
    integrations: Iterable[Integration] = (),
    transport: Transport | None = None,
) -> Process:
    """Start this process's logging (`logs`), error reporting (when PRICING_SENTRY_DSN is
    set; the first caller in a process wins) and, given the container's `timing` and a
    database, the flusher of the figures `pricing db stats` reads.

    `integrations` adds a framework's to Sentry (the API passes Litestar's, which must be
    started before the app is built); `transport` replaces the network (tests).
    """
    if logs:
        configure_logging(settings)
    reporting = False
    if not is_reporting():
        reporting = init_sentry(
            settings,
            release=release or f"job-pricing@{version('pricing-adapters')}",
            integrations=integrations,
            transport=transport,
        )
    flusher = None
    if timing is not None and settings.database_url != MEMORY_URL:
        flusher = StatsFlusher(timing, stats_directory(settings)).start()
    return Process(reporting=reporting, flusher=flusher)
