"""Who may scrape /metrics: the metrics token, or a client on PRICING_METRICS_NETWORKS (this
host by default), the address read as the rate limits read it (X-Forwarded-For only from a
trusted proxy). No user account is needed, and refusals are not rate limited either.

The requests come from chosen client addresses: httpx's ASGI transport sets the peer, where
Litestar's TestClient always says "testclient".
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from litestar import Litestar

from tests.e2e.observability.conftest import (
    METRICS_TOKEN,
    Observed,
    open_observed,
    scraper,
    settings_for,
)
from tests.gear.peers import call_from

OUTSIDE = "203.0.113.5"  # TEST-NET-3: no network of the defaults
PROBLEM = "application/problem+json"


def scrape_from(app: Litestar, peer: str, headers: dict[str, str] | None = None) -> httpx.Response:
    return call_from(app, peer, "GET", "/metrics", headers=headers or {})


def open_with(tmp_path: Path, **env: str) -> Iterator[Observed]:
    yield from open_observed(settings_for(tmp_path, **env))


@pytest.fixture
def no_token(tmp_path: Path) -> Iterator[Observed]:
    yield from open_with(tmp_path, PRICING_METRICS_TOKEN="")


@pytest.fixture
def with_token(tmp_path: Path) -> Iterator[Observed]:
    yield from open_with(tmp_path)


@pytest.mark.parametrize("peer", ["127.0.0.1", "::1"])
def test_this_host_scrapes_without_credentials(no_token: Observed, peer: str) -> None:
    answer = scrape_from(no_token.client.app, peer)
    assert answer.status_code == 200
    assert "http_requests_total" in answer.text


def test_another_address_is_refused_with_a_problem(no_token: Observed) -> None:
    answer = scrape_from(no_token.client.app, OUTSIDE)
    assert answer.status_code == 403
    assert answer.headers["content-type"].startswith(PROBLEM)
    assert answer.json()["status"] == 403
    assert "http_requests_total" not in answer.text
    assert no_token.client.get("/metrics").status_code == 403  # "testclient": no address


def test_a_user_account_is_no_key_to_metrics(with_token: Observed) -> None:
    assert scrape_from(with_token.client.app, OUTSIDE, with_token.admin()).status_code == 403


def test_with_a_token_configured_the_token_opens_it_from_anywhere(with_token: Observed) -> None:
    app = with_token.client.app
    assert scrape_from(app, OUTSIDE, scraper()).status_code == 200
    missing = scrape_from(app, OUTSIDE)
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"].startswith("Bearer")
    assert missing.headers["content-type"].startswith(PROBLEM)
    wrong = {"Authorization": f"Bearer {METRICS_TOKEN[:-1]}x"}
    assert scrape_from(app, OUTSIDE, wrong).status_code == 403
    assert scrape_from(app, "127.0.0.1").status_code == 200  # this host still needs none


def test_forwarded_for_counts_only_from_a_trusted_proxy(tmp_path: Path) -> None:
    # A proxy on this host forwards other hosts' requests: they are not this host's.
    for observed in open_with(tmp_path, PRICING_TRUSTED_PROXIES="127.0.0.1"):
        app = observed.client.app
        assert scrape_from(app, "127.0.0.1").status_code == 200  # this host itself
        forwarded = {"X-Forwarded-For": OUTSIDE}
        assert scrape_from(app, "127.0.0.1", forwarded).status_code == 401
        spoofed = {"X-Forwarded-For": "127.0.0.1"}
        assert scrape_from(app, OUTSIDE, spoofed).status_code == 401  # not from the proxy
        assert scrape_from(app, "127.0.0.1", {**forwarded, **scraper()}).status_code == 200


def test_the_networks_are_configurable(tmp_path: Path) -> None:
    env = {"PRICING_METRICS_TOKEN": "", "PRICING_METRICS_NETWORKS": "10.0.0.0/8,fd00::/8"}
    for observed in open_with(tmp_path, **env):
        app = observed.client.app
        assert scrape_from(app, "10.1.2.3").status_code == 200
        assert scrape_from(app, "fd00::7").status_code == 200
        assert scrape_from(app, "127.0.0.1").status_code == 403  # no longer the default


def test_refused_scrapes_are_not_rate_limited(tmp_path: Path) -> None:
    for observed in open_with(tmp_path, PRICING_RATE_LIMITS="anonymous=2"):
        answers = [scrape_from(observed.client.app, OUTSIDE) for _ in range(5)]
        assert [a.status_code for a in answers] == [401] * 5
        assert not any("x-ratelimit-limit" in a.headers for a in answers)
