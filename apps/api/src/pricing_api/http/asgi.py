"""The ASGI entry point for servers: `uvicorn --factory pricing_api.http.asgi:build`.

A factory, so that settings are read and the database touched when a worker starts, not when
this module is imported.
"""

from __future__ import annotations

from litestar import Litestar

from pricing_adapters.bootstrap import build_container
from pricing_adapters.prepare import prepare
from pricing_adapters.settings import Settings
from pricing_api.http.app import create_app

__all__ = ["build"]


def build() -> Litestar:
    container = build_container(Settings.from_env())
    prepare(container)
    if container.jobs.broker is None:
        # No worker processes: this one runs the schedules and the reconciler, and its
        # job thread runs the jobs (each API process its own; a slot still starts once).
        container.jobs.scheduler().start()
    return create_app(container)
