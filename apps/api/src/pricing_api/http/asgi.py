"""The ASGI entry point for servers: `uvicorn --factory pricing_api.http.asgi:build`.

A factory, so that settings are read, the database touched and the process started (logs,
error reporting, statement figures) when a worker starts, not when this module is imported.
"""

from __future__ import annotations

from litestar import Litestar

from pricing_adapters.bootstrap import build_container
from pricing_adapters.prepare import prepare
from pricing_adapters.settings import Settings
from pricing_adapters.uploads import remove_stale_uploads
from pricing_api.http.app import create_app
from pricing_api.http.observability import start_api_process

__all__ = ["build"]


def build() -> Litestar:
    settings = Settings.from_env()
    remove_stale_uploads(settings.data_dir)  # what workers that died mid-upload left
    container = build_container(settings)
    prepare(container)
    start_api_process(container)  # before the app: Sentry hooks into its construction
    if container.jobs.broker is None:
        # No worker processes: this one runs the schedules and the reconciler, and its
        # job thread runs the jobs (each API process its own; a slot still starts once).
        container.jobs.scheduler().start()
    return create_app(container)
