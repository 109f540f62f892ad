"""Every request: an id (kept or made), a log line, counts by route template, /metrics never
limited."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from pricing_core.access.model import AuditQuery, Outcome
from tests.adapters.observability.conftest import samples, value
from tests.e2e.observability.conftest import Observed, open_observed, scraper, settings_for
from tests.gear.peers import call_from


def request_lines(err: str) -> list[dict[str, Any]]:
    lines = [json.loads(x) for x in err.splitlines() if x.startswith("{")]
    return [line for line in lines if line.get("event") == "request"]


PROXY = "10.0.0.7"  # PRICING_TRUSTED_PROXIES of `proxied`
CLIENT = "203.0.113.5"  # TEST-NET-3: any other peer
NEW_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def proxied(tmp_path: Path) -> Iterator[Observed]:
    yield from open_observed(settings_for(tmp_path, PRICING_TRUSTED_PROXIES=PROXY))


def login_failures(observed: Observed) -> list[str]:
    events, _ = observed.container.access.audit_log.query(AuditQuery(action="authn_login"))
    return [e.request_id for e in events if e.outcome == Outcome.FAILURE]


def refused_login(observed: Observed, peer: str, request_id: str) -> httpx.Response:
    body = {"email": "nobody@example.com", "password": "x" * 20}
    response = call_from(
        observed.client.app,
        peer,
        "POST",
        "/api/v1/auth/login",
        json=body,
        headers={"X-Request-ID": request_id},
    )
    assert response.status_code == 401
    return response


def test_a_trusted_proxys_well_formed_request_id_comes_back(proxied: Observed) -> None:
    response = call_from(
        proxied.client.app, PROXY, "GET", "/health", headers={"X-Request-ID": "edge-42.a"}
    )
    assert response.headers["X-Request-ID"] == "edge-42.a"


def test_a_clients_own_request_id_is_replaced(proxied: Observed) -> None:
    response = call_from(
        proxied.client.app, CLIENT, "GET", "/health", headers={"X-Request-ID": "edge-42.a"}
    )
    assert NEW_ID.fullmatch(response.headers["X-Request-ID"])


@pytest.mark.parametrize("hostile", ["a b<script>", "x" * 129, "-leading-dash", "a/b"])
def test_a_missing_or_hostile_one_is_replaced_even_from_a_proxy(
    proxied: Observed, hostile: str
) -> None:
    app = proxied.client.app
    made = call_from(app, PROXY, "GET", "/health").headers["X-Request-ID"]
    replaced = call_from(app, PROXY, "GET", "/health", headers={"X-Request-ID": hostile})
    assert NEW_ID.fullmatch(made)
    assert NEW_ID.fullmatch(replaced.headers["X-Request-ID"])
    assert made != replaced.headers["X-Request-ID"]


def test_the_audit_rows_carry_a_trusted_proxys_request_id(proxied: Observed) -> None:
    response = refused_login(proxied, PROXY, "login-try-1")
    assert response.headers["X-Request-ID"] == "login-try-1"
    assert login_failures(proxied) == ["login-try-1"]


def test_a_client_cannot_put_its_chosen_id_into_an_audit_row(proxied: Observed) -> None:
    response = refused_login(proxied, CLIENT, "login-try-1")
    made = response.headers["X-Request-ID"]
    assert NEW_ID.fullmatch(made)
    assert login_failures(proxied) == [made]
    observed_directly = proxied.client.post(  # TestClient's peer is no address at all
        "/api/v1/auth/login",
        json={"email": "nobody@example.com", "password": "x" * 20},
        headers={"X-Request-ID": "login-try-2"},
    )
    assert "login-try-2" not in login_failures(proxied)
    assert observed_directly.headers["X-Request-ID"] in login_failures(proxied)


def test_one_log_line_per_request_with_id_caller_route_status_and_time(
    observed: Observed, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    one = observed.client.get(
        f"/api/v1/auth/users/{observed.admin_id}", headers=observed.admin()
    ).headers["X-Request-ID"]
    two = observed.client.get("/no/such/page").headers["X-Request-ID"]
    lines = {line["request_id"]: line for line in request_lines(capsys.readouterr().err)}
    first = lines[one]
    assert first["user_id"] == observed.admin_id
    assert first["route"] == "/api/v1/auth/users/{user_id}"
    assert (first["method"], first["status"], first["level"]) == ("GET", 200, "info")
    assert first["duration_ms"] > 0
    assert "user_id" not in lines[two]
    assert (lines[two]["route"], lines[two]["status"]) == ("unmatched", 404)
    assert lines[two]["path"] == "/no/such/page"


def test_requests_are_counted_by_route_template_never_by_raw_path(observed: Observed) -> None:
    for _ in range(3):
        observed.client.get(f"/api/v1/auth/users/{observed.admin_id}", headers=observed.admin())
    observed.client.get("/api/v1/auth/users/no-such-id", headers=observed.admin())
    observed.client.get(f"/scanner/{observed.admin_id}")
    exposition = observed.scrape()
    template = {"method": "GET", "endpoint": "/api/v1/auth/users/{user_id}"}
    assert value(exposition, "http_requests_total", **template, status_code="200") == 3
    assert value(exposition, "http_requests_total", **template, status_code="404") == 1
    assert value(exposition, "http_request_duration_seconds_count", **template) == 4
    unmatched = {"method": "GET", "endpoint": "unmatched", "status_code": "404"}
    assert value(exposition, "http_requests_total", **unmatched) == 1
    assert observed.admin_id not in exposition
    assert "no-such-id" not in exposition
    assert value(exposition, "http_requests_in_progress") == 1  # the scrape itself


def test_refused_logins_are_counted(observed: Observed) -> None:
    for _ in range(2):
        observed.client.post(
            "/api/v1/auth/login", json={"email": "admin@example.com", "password": "y" * 20}
        )
    observed.client.post(
        "/api/v1/auth/login",
        json={"email": "admin@example.com", "password": "correct horse battery staple 42"},
    )
    assert value(observed.scrape(), "login_failures_total") == 2


@pytest.fixture
def strict_limits(tmp_path: Path) -> Iterator[Observed]:
    settings = settings_for(tmp_path, PRICING_RATE_LIMITS="anonymous=2")
    yield from open_observed(settings)


def test_metrics_is_never_rate_limited(strict_limits: Observed) -> None:
    answers = [strict_limits.client.get("/metrics", headers=scraper()) for _ in range(6)]
    assert [a.status_code for a in answers] == [200] * 6
    assert answers[-1].headers["content-type"].startswith("text/plain; version=0.0.4")
    found = samples(answers[-1].text)
    assert (
        found[
            (
                "http_requests_total",
                frozenset({"method": "GET", "endpoint": "/metrics", "status_code": "200"}.items()),
            )
        ]
        == 5
    )
    limited = [strict_limits.client.get("/api/v1/auth/me").status_code for _ in range(4)]
    assert 429 in limited  # the limit is real for the others


def test_the_metrics_route_is_in_the_schema_with_its_token_and_refusals(
    observed: Observed,
) -> None:
    schema = observed.client.get("/schema/openapi.json").json()
    operation = schema["paths"]["/metrics"]["get"]
    assert "operations" in operation["tags"]
    assert operation["security"] == [{"metricsToken": []}]
    assert schema["components"]["securitySchemes"]["metricsToken"]["scheme"] == "bearer"
    for status in ("401", "403"):
        assert list(operation["responses"][status]["content"]) == ["application/problem+json"]
    assert "429" not in operation["responses"]
