"""Checklist 26: Schemathesis against the app's own OpenAPI schema, in process, as each role.

Every operation of /schema/openapi.json is exercised (the schema's examples, its coverage
cases, then positive and negative generated data) with the access token of each of the four
roles, and checked: no 5xx, every status documented, content types and bodies as documented,
and authentication not ignored (the same request without credentials, or with bad ones, must
fail). Examples are bounded so that the file runs in about two minutes.

The app is built when this module is imported (Schemathesis reads the schema at collection);
building it touches nothing. Its data is seeded, and its accounts signed in, by a fixture.

One operation is not run with the shared tokens: POST /api/v1/auth/logout revokes the token
that calls it, so every later case of that role would only meet 401. It runs in tests of its
own, each case with a fresh session.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_schema_conformance,
    status_code_conformance,
)

from pricing_adapters.bootstrap import Ports, build_container
from pricing_adapters.clock import FixedClock
from pricing_adapters.prepare import prepare
from pricing_api.http.app import create_app
from pricing_core.access.audit import RequestInfo
from pricing_core.access.roles import Role
from tests.e2e.api.conftest import PASSWORD, SYSTEM, T0, UNLIMITED, sign_in_each_role
from tests.gear.worlds import settings_for

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    ignored_auth,
]
LOGOUT = "/api/v1/auth/logout"
CONFIG = """
seed = 26
[generation]
mode = "all"
max-examples = 4
[phases.stateful]
enabled = false
"""

DATA_DIR = Path(tempfile.mkdtemp(prefix="pricing-schemathesis-"))
CONTAINER = build_container(
    settings_for(DATA_DIR, PRICING_RATE_LIMITS=UNLIMITED), ports=Ports(clock=FixedClock(T0))
)
APP = create_app(CONTAINER)
schema = schemathesis.openapi.from_asgi(
    "/schema/openapi.json", APP, config=schemathesis.Config.from_str(CONFIG)
)
TOKENS: dict[Role, str] = {}


@pytest.fixture(scope="module", autouse=True)
def seeded() -> Iterator[None]:
    """The shipped market data and one signed-in account per role, once for the module."""
    prepare(CONTAINER)
    TOKENS.update(sign_in_each_role(CONTAINER))
    for role in Role:  # their own accounts: fuzzing change-password locks the others' logins
        email = f"logout-{role.lower()}@example.com"
        CONTAINER.access.create_user(SYSTEM, email, role, "", PASSWORD, RequestInfo())
    yield
    shutil.rmtree(DATA_DIR, ignore_errors=True)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def every_operation_as(role: Role) -> Any:
    """A test of every operation but logout, sent with `role`'s access token."""

    @schema.exclude(path=LOGOUT).parametrize()
    def test(case: Any) -> None:
        case.call_and_validate(headers=bearer(TOKENS[role]), checks=CHECKS)

    return test


def logout_as(role: Role) -> Any:
    """Logout, each case with a session of its own (logging out ends the session)."""

    @schema.include(path=LOGOUT).parametrize()
    def test(case: Any) -> None:
        email = f"logout-{role.lower()}@example.com"
        token = CONTAINER.access.login(email, PASSWORD, RequestInfo()).access_token
        case.call_and_validate(headers=bearer(token), checks=CHECKS)

    return test


# One test per role, spelled out: the schema's tests cannot take a parametrized fixture.
test_every_operation_as_viewer = every_operation_as(Role.VIEWER)
test_every_operation_as_hr_analyst = every_operation_as(Role.HR_ANALYST)
test_every_operation_as_hr_manager = every_operation_as(Role.HR_MANAGER)
test_every_operation_as_admin = every_operation_as(Role.ADMIN)
test_logout_as_viewer = logout_as(Role.VIEWER)
test_logout_as_admin = logout_as(Role.ADMIN)


def test_the_run_covers_every_route_of_the_app() -> None:
    """Nothing escapes the run by being left out of the schema."""
    results = list(schema.get_all_operations())
    assert all(isinstance(result, Ok) for result in results)  # every operation parses
    listed = {
        (result.ok().method.upper(), result.ok().path)
        for result in results
        if isinstance(result, Ok)
    }
    served = {
        (method, route.path.replace(":str", ""))
        for route in APP.routes
        for handler in getattr(route, "route_handlers", ())
        if handler.include_in_schema and not route.path.startswith("/schema")
        for method in handler.http_methods
        if method not in {"OPTIONS", "HEAD"}
    }
    assert served - listed == set()


def public_operations() -> dict[tuple[str, str], Any]:
    """The operations whose route is PUBLIC, with their effective `security`."""
    document = APP.openapi_schema.to_schema()
    public = {
        (method, route.path.replace(":str", ""))
        for route in APP.routes
        for handler in getattr(route, "route_handlers", ())
        if handler.include_in_schema and handler.opt.get("public")
        for method in handler.http_methods
    }
    return {
        (method, path): op.get("security", document.get("security"))
        for path, ops in document["paths"].items()
        for method, op in ((m.upper(), o) for m, o in ops.items())
        if (method, path) in public
    }


def test_ready_declares_that_it_needs_no_credentials() -> None:
    assert public_operations()[("GET", "/ready")] == [{}]


# Public to the permission guard (no user account), yet answered only to the metrics token or
# to a client on PRICING_METRICS_NETWORKS (http/metrics_access.py): /metrics documents that
# token's scheme instead of `{}`. Schemathesis' calls come from no allowed network and carry
# a user's token, so they get the documented 403.
OWN_SCHEME: dict[tuple[str, str], list[dict[str, list[str]]]] = {
    ("GET", "/metrics"): [{"metricsToken": []}]
}


def test_every_public_route_declares_that_it_needs_no_credentials() -> None:
    operations = public_operations()
    undeclared = sorted(
        key for key, security in operations.items() if {} not in security and key not in OWN_SCHEME
    )
    assert undeclared == []
    assert {key: operations[key] for key in OWN_SCHEME} == OWN_SCHEME


def test_a_rate_limited_login_answers_a_documented_content_type(tmp_path: Path) -> None:
    """Login documents one 429 for its failure throttle and the rate limit: both fit it."""
    settings = settings_for(tmp_path, PRICING_BUNDLED_DATA="false")
    app = create_app(build_container(settings, ports=Ports(clock=FixedClock(T0))))
    login = schemathesis.openapi.from_asgi("/schema/openapi.json", app)["/api/v1/auth/login"]
    responses = []
    for n in range(12):  # past the per-address quota of login attempts
        case = login["POST"].Case(body={"email": f"nobody{n}@example.com", "password": "x" * 20})
        responses.append(case.call())
    assert responses[-1].status_code == 429
    checks = [content_type_conformance, response_schema_conformance]
    case.validate_response(responses[-1], checks=checks)
