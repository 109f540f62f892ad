"""The app the login storm test serves with uvicorn in a process of its own.

`uvicorn --factory storm_app:build --app-dir tests/e2e/access`: settings come from the
environment the test gives the process (memory stores, rate limits off, a known key set);
one account with STORM_PASSWORD exists.
"""

from __future__ import annotations

from litestar import Litestar

from pricing_adapters.bootstrap import build_container
from pricing_adapters.settings import Settings
from pricing_api.http.app import create_app
from pricing_api.http.observability import start_api_process
from pricing_core.access.audit import RequestInfo
from pricing_core.access.model import Principal
from pricing_core.access.roles import Role

STORM_EMAIL = "burst@example.com"
STORM_PASSWORD = "storm horse battery staple"


def build() -> Litestar:
    container = build_container(Settings.from_env())
    system = Principal(role=Role.ADMIN, user_id="system:storm-test")
    container.access.create_user(system, STORM_EMAIL, "VIEWER", "", STORM_PASSWORD, RequestInfo())
    start_api_process(container)
    return create_app(container)
