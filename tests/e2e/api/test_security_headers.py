"""Security headers on every answer; no-store on personal ones; HSTS only over TLS."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from pricing_adapters.bootstrap import build_container
from pricing_api.http.app import create_app
from pricing_core.access.roles import Role
from tests.e2e.api.conftest import Api
from tests.gear.peers import call_from
from tests.gear.worlds import settings_for

PROXY = "10.0.0.7"
CLIENT = "203.0.113.5"


def assert_secured(response: httpx.Response) -> None:
    headers = response.headers
    assert headers["x-content-type-options"] == "nosniff", response.url
    assert headers["referrer-policy"] == "no-referrer", response.url
    assert "frame-ancestors 'none'" in headers["content-security-policy"], response.url


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/health", 200),
        ("GET", "/api/v1/auth/me", 401),
        ("GET", "/no/such/page", 404),
        ("DELETE", "/health", 405),
        ("GET", "/schema", 200),
        ("GET", "/schema/openapi.json", 200),
        ("GET", "/schema/assets/swagger-ui-bundle.js", 200),
    ],
)
def test_every_answer_carries_the_security_headers(
    api: Api, method: str, path: str, status: int
) -> None:
    response = api.client.request(method, path)
    assert response.status_code == status
    assert_secured(response)


def test_an_authenticated_answer_carries_them_too(api: Api) -> None:
    assert_secured(api.get("/api/v1/auth/me", Role.VIEWER))


def test_the_api_allows_nothing_to_load_its_answers(api: Api) -> None:
    policy = api.client.get("/health").headers["content-security-policy"]
    assert "default-src 'none'" in policy


def test_the_docs_page_runs_from_this_origins_files_alone(api: Api) -> None:
    """No inline script or style (the policy allows none), and every file it names is served."""
    response = api.client.get("/schema")
    page = response.text
    policy = response.headers["content-security-policy"]
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy
    assert "script-src" not in policy
    assert "default-src 'self'" in policy
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.DOTALL)
    assert scripts
    assert all('src="/' in attrs and not body.strip() for attrs, body in scripts)
    assert "<style" not in page
    assert " style=" not in page
    named = re.findall(r'(?:src|href|data-spec)="([^"]+)"', page)
    assert any(name.endswith("openapi.json") for name in named)
    for name in named:
        assert name.startswith("/schema/"), name
        assert api.client.get(name).status_code == 200, name
    starter = api.client.get("/schema/assets/docs.js").text
    assert "SwaggerUIBundle(" in starter
    assert "dataset.spec" in starter


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/auth/me",
        "/api/v1/auth/me/permissions",
        "/api/v1/auth/users",
        "/api/v1/auth/api-keys",
        "/api/v1/audit-logs",
        "/api/v1/pricing-requests",
        "/api/v1/recommendations",
    ],
)
def test_personal_answers_are_not_stored(api: Api, path: str) -> None:
    answer = api.get(path, Role.ADMIN)
    assert answer.status_code == 200, answer.text
    assert "no-store" in answer.headers["cache-control"]
    assert "no-store" in api.client.get(path).headers["cache-control"]  # the 401 as well


def test_no_hsts_over_plain_http(api: Api) -> None:
    assert "strict-transport-security" not in api.client.get("/health").headers


def test_hsts_over_tls(tmp_path: Path) -> None:
    app = create_app(build_container(settings_for(tmp_path, PRICING_BUNDLED_DATA="false")))
    with TestClient(app, base_url="https://testserver.local") as client:
        hsts = client.get("/health").headers["strict-transport-security"]
    assert re.fullmatch(r"max-age=\d{8,}; includeSubDomains", hsts)


def get_from(app: Litestar, peer: str, headers: dict[str, str]) -> httpx.Response:
    return call_from(app, peer, "GET", "/health", headers=headers)


def test_hsts_when_a_trusted_proxy_says_the_client_came_over_tls(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, PRICING_BUNDLED_DATA="false", PRICING_TRUSTED_PROXIES=PROXY)
    app = create_app(build_container(settings))
    https = {"X-Forwarded-Proto": "https"}
    assert "strict-transport-security" in get_from(app, PROXY, https).headers
    assert "strict-transport-security" not in get_from(app, CLIENT, https).headers
    # A client's own value comes first; the proxy's, last, is the one that counts.
    spoofed = {"X-Forwarded-Proto": "https, http"}
    assert "strict-transport-security" not in get_from(app, PROXY, spoofed).headers


def test_the_pages_post_their_forms_here_and_load_only_their_own_files(api: Api) -> None:
    page = api.client.get("/")
    assert page.status_code == 200
    assert_secured(page)
    policy = page.headers["content-security-policy"]
    # A policy of `form-action 'none'` left the sign-in form unable to post at all.
    assert "form-action 'self'" in policy
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "no-store" in page.headers["cache-control"]  # it carries a CSRF token
    assert "form-action 'none'" in api.client.get("/health").headers["content-security-policy"]
