"""Checklist 27: an error while refreshing leaves no refresh token in the Sentry event.

The refresh use case is the real one; only its refresh-token store fails (as a database
that drops the connection would), so the event carries the real frames with their local
variables, the request body and headers, all of which held the token.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
import sentry_sdk
from litestar import get

from pricing_adapters.access_memory import InMemoryRefreshTokenStore, InMemoryUserStore
from pricing_adapters.bootstrap import Container, build_container
from pricing_adapters.sentry import scrub_event
from pricing_api.http.observability import start_api_process
from pricing_api.http.security import AUTHENTICATED
from pricing_core.access.audit import RequestInfo
from pricing_core.access.model import Principal
from pricing_core.access.roles import Role
from tests.e2e.observability.conftest import (
    PASSWORD,
    CaptureTransport,
    Observed,
    open_observed,
    settings_for,
)

SECRET = "SECRET-XYZ"


class LostConnection(RuntimeError):
    pass


class FailingStore(InMemoryRefreshTokenStore):
    def by_hash(self, token_hash: str) -> Any:
        raise LostConnection("the refresh token store stopped answering")


@get("/test/boom", opt=AUTHENTICATED, sync_to_thread=False)
def boom() -> None:
    raise LostConnection("a signed-in request failed")


def failing_refresh_store(container: Container) -> Container:
    access = container.access
    sessions = attrs.evolve(access.refresh.sessions, refresh_tokens=FailingStore())
    refresh = attrs.evolve(access.refresh, sessions=sessions)
    return attrs.evolve(container, access=attrs.evolve(access, refresh=refresh))


@pytest.fixture
def failing(tmp_path: Path, capture_sentry: CaptureTransport) -> Iterator[Observed]:
    yield from open_observed(settings_for(tmp_path), extra=[boom], adjust=failing_refresh_store)


def refresh_with_the_secret(api: Observed) -> Any:
    return api.client.post(
        "/api/v1/auth/refresh",
        json={"refresh_token": SECRET},
        headers={
            "X-Refresh-Token": SECRET,
            "Cookie": f"refresh_token={SECRET}; theme=dark",
        },
    )


def frames(event: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        frame
        for value in event["exception"]["values"]
        for frame in (value.get("stacktrace") or {}).get("frames", [])
    ]


def test_the_refresh_token_is_nowhere_in_the_event(
    failing: Observed, capture_sentry: CaptureTransport
) -> None:
    response = refresh_with_the_secret(failing)
    assert response.status_code == 500
    assert SECRET not in response.text
    events = capture_sentry.events()
    assert events, "the error produced no Sentry event"
    assert SECRET not in capture_sentry.raw()
    [event] = [e for e in events if "exception" in e]
    assert event["exception"]["values"][-1]["type"] == "LostConnection"
    # The places the token was: local variables (captured, then blanked), body, headers.
    refresh_frame = next(
        f
        for f in frames(event)
        if f.get("function") == "__call__" and "refresh_token" in f.get("vars", {})
    )
    assert refresh_frame["vars"]["refresh_token"] == "[Filtered]"
    handler = next(
        f for f in frames(event) if f.get("function") == "refresh" and "data" in f.get("vars", {})
    )
    assert "[Filtered]" in handler["vars"]["data"]
    assert event["request"]["data"]["refresh_token"] == "[Filtered]"
    headers = {k.lower(): v for k, v in event["request"]["headers"].items()}
    assert headers["x-refresh-token"] == "[Filtered]"
    assert event["tags"]["request_id"] == response.headers["X-Request-ID"]
    assert "user" not in event  # a public route: nobody signed in


def test_a_signed_in_caller_is_named_by_id_only(
    failing: Observed, capture_sentry: CaptureTransport
) -> None:
    response = failing.client.get("/test/boom", headers=failing.admin())
    assert response.status_code == 500
    [event] = [e for e in capture_sentry.events() if "exception" in e]
    assert event["user"] == {"id": failing.admin_id}
    assert event["tags"]["request_id"] == response.headers["X-Request-ID"]
    raw = capture_sentry.raw()
    assert "admin@example.com" not in raw
    assert failing.admin_token not in raw
    assert failing.admin_token.split(".")[2] not in raw  # not even the signature


def test_errors_are_reported_with_the_environment_and_release(
    failing: Observed, capture_sentry: CaptureTransport
) -> None:
    failing.client.get("/test/boom", headers=failing.admin())
    [event] = [e for e in capture_sentry.events() if "exception" in e]
    assert (event["environment"], event["release"]) == ("development", "test")
    assert json.dumps(event)  # serialisable as sent


class FailingUsers(InMemoryUserStore):
    def by_email(self, email: str) -> Any:
        raise LostConnection("the user store stopped answering")


def failing_login(container: Container) -> Container:
    access = container.access
    login = attrs.evolve(access.login, users=FailingUsers())
    return attrs.evolve(container, access=attrs.evolve(access, login=login))


@pytest.fixture
def failing_logins(tmp_path: Path, capture_sentry: CaptureTransport) -> Iterator[Observed]:
    yield from open_observed(settings_for(tmp_path), adjust=failing_login)


def test_a_failed_login_reports_neither_the_password_nor_the_email(
    failing_logins: Observed, capture_sentry: CaptureTransport
) -> None:
    response = failing_logins.client.post(
        "/api/v1/auth/login",
        json={"email": "ann.secret@example.com", "password": PASSWORD},
    )
    assert response.status_code == 500
    [event] = [e for e in capture_sentry.events() if "exception" in e]
    assert event["exception"]["values"][-1]["type"] == "LostConnection"
    assert event["tags"]["request_id"] == response.headers["X-Request-ID"]
    assert event["request"]["data"]["password"] == "[Filtered]"
    raw = capture_sentry.raw()
    assert PASSWORD not in raw
    assert "ann.secret" not in raw  # the email: users are named by id alone


def test_an_api_key_caller_is_named_by_id_and_the_key_is_nowhere(
    failing: Observed, capture_sentry: CaptureTransport
) -> None:
    admin = Principal(role=Role.ADMIN, user_id=failing.admin_id)
    key, raw_key = failing.container.access.create_api_key(
        admin, "reports", "HR_ANALYST", RequestInfo()
    )
    response = failing.client.get("/test/boom", headers={"X-API-Key": raw_key})
    assert response.status_code == 500
    [event] = [e for e in capture_sentry.events() if "exception" in e]
    assert event["user"] == {"id": f"apikey:{key.id}"}
    assert event["tags"]["request_id"] == response.headers["X-Request-ID"]
    headers = {k.lower(): v for k, v in event["request"]["headers"].items()}
    assert headers["x-api-key"] == "[Filtered]"
    assert raw_key not in capture_sentry.raw()
    assert raw_key[len(key.prefix) :] not in capture_sentry.raw()  # not even the secret part


def test_the_app_reports_through_litestar_sqlalchemy_redis_and_logging(tmp_path: Path) -> None:
    settings = settings_for(
        tmp_path,
        PRICING_SENTRY_DSN="https://public@sentry.invalid/1",
        PRICING_ENVIRONMENT="production",
    )
    assert start_api_process(build_container(settings)).reporting  # what a server calls
    try:
        client = sentry_sdk.get_client()
        assert {"litestar", "sqlalchemy", "redis", "logging"} <= set(client.integrations)
        assert client.options["traces_sample_rate"] == 0.1  # production's default
        assert client.options["environment"] == "production"
        assert not client.options["send_default_pii"]
        assert client.options["before_send"] is scrub_event
    finally:
        client.close()
        sentry_sdk.get_global_scope().set_client(None)
