"""The product's own series, fed by real requests: rate-limit decisions by outcome, the
limiter's degradation while Redis is unreachable, and quotes by confidence label. Each test
makes a known number of requests and reads the exact counts from /metrics."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from pricing_api.cli import cli
from pricing_core.access.audit import RequestInfo
from pricing_core.access.roles import Role
from tests.adapters.observability.conftest import samples, value
from tests.e2e.api.conftest import AREAS, SURVEY
from tests.e2e.observability.conftest import (
    PASSWORD,
    SYSTEM,
    Observed,
    open_observed,
    settings_for,
)
from tests.gear.private_redis import PrivateRedis

ME = "/api/v1/auth/me"
QUOTE = "/api/v1/pricing/quote"
REQUESTS = "/api/v1/pricing-requests"
DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def viewer(observed: Observed) -> dict[str, str]:
    """A new VIEWER account's bearer header (the admin is unlimited: never counted)."""
    access = observed.container.access
    access.create_user(SYSTEM, "viewer@example.com", Role.VIEWER, "Vi", PASSWORD, RequestInfo())
    token = access.login("viewer@example.com", PASSWORD, RequestInfo()).access_token
    return {"Authorization": f"Bearer {token}"}


def series(exposition: str, metric: str) -> dict[str, float]:
    """One labelled metric's samples, by the value of its only label."""
    return {
        dict(labels).popitem()[1]: found
        for (name, labels), found in samples(exposition).items()
        if name == metric and labels
    }


def open_with(tmp_path: Path, **env: str) -> Iterator[Observed]:
    yield from open_observed(settings_for(tmp_path, **env))


def test_every_rate_limit_decision_is_counted_by_outcome(tmp_path: Path) -> None:
    for observed in open_with(tmp_path, PRICING_RATE_LIMITS="VIEWER=3"):
        headers = viewer(observed)
        codes = [observed.client.get(ME, headers=headers).status_code for _ in range(5)]
        assert codes == [200, 200, 200, 429, 429]
        observed.client.get("/health")  # exempt: no decision
        observed.client.get(ME, headers=observed.admin())  # unlimited: no decision
        exposition = observed.scrape()
        assert series(exposition, "rate_limit_decisions_total") == {"allowed": 3, "limited": 2}
        assert value(exposition, "rate_limiter_degraded") == 0


def test_the_degraded_gauge_is_1_while_redis_is_unreachable(tmp_path: Path) -> None:
    for observed in open_with(tmp_path, PRICING_REDIS_URL=DEAD_REDIS):
        # The first login's failure counter meets the dead Redis: the one breaker of every
        # Redis use opens, and the limiter counts in memory from its first request on.
        headers = viewer(observed)
        assert observed.client.get(ME, headers=headers).status_code == 200  # fails open
        exposition = observed.scrape()
        assert value(exposition, "rate_limiter_degraded") == 1
        assert series(exposition, "rate_limit_decisions_total") == {"allowed": 1}


def test_the_degraded_gauge_returns_to_0_once_redis_answers_again(tmp_path: Path) -> None:
    server = PrivateRedis(tmp_path)
    server.start()
    try:
        for observed in open_with(tmp_path, PRICING_REDIS_URL=server.url):
            headers = viewer(observed)
            assert observed.client.get(ME, headers=headers).status_code == 200
            assert value(observed.scrape(), "rate_limiter_degraded") == 0
            server.stop()
            assert observed.client.get(ME, headers=headers).status_code == 200
            assert value(observed.scrape(), "rate_limiter_degraded") == 1
            server.start()
            # The store tries Redis again a few seconds after it failed (ratelimit_store.py).
            deadline = time.monotonic() + 20
            while observed.container.rate_limiter.degraded and time.monotonic() < deadline:
                time.sleep(0.5)
                observed.client.get(ME, headers=headers)
            assert value(observed.scrape(), "rate_limiter_degraded") == 0
    finally:
        server.stop()


@pytest.fixture
def priced(tmp_path: Path) -> Iterator[Observed]:
    """The app with one survey's market data: San Jose software engineers."""
    for observed in open_with(tmp_path):
        observed.container.market_loader.save_areas(AREAS)
        survey = tmp_path / "mercer-2025.csv"
        survey.write_text(SURVEY)
        command = ["market", "import-survey", str(survey), "--source", "mercer-2025", "--json"]
        result = CliRunner().invoke(cli, command, obj=observed.container)
        assert result.exit_code == 0, result.output
        yield observed


def body(quality: str = "exact", area: str = "0041940") -> dict[str, Any]:
    """A quote of the San Jose Software Engineer III: an exact match is priced with high
    confidence, a partial one with medium."""
    match = {"source": "mercer-2025", "job_code": "ENG-SWE-P3", "quality": quality}
    return {"matches": [match], "area": area}


def test_every_quote_priced_through_the_api_is_counted_by_confidence(priced: Observed) -> None:
    client, admin = priced.client, priced.admin()
    labels: list[str] = []
    for quality in ("exact", "partial", "exact"):
        answer = client.post(QUOTE, json=body(quality), headers=admin)
        assert answer.status_code == 200, answer.text
        labels.append(answer.json()["confidence"]["label"])
    assert client.post(QUOTE, json=body(area="Atlantis"), headers=admin).status_code == 422
    # A saved request is priced when created, and again when its draft is edited.
    created = client.post(REQUESTS, json=body("partial"), headers=admin)
    assert created.status_code == 201, created.text
    labels.append(created.json()["result"]["confidence"]["label"])
    path = f"{REQUESTS}/{created.json()['id']}"
    edited = client.put(path, json=body("exact"), headers=admin)
    assert edited.status_code == 200, edited.text
    labels.append(edited.json()["result"]["confidence"]["label"])
    assert client.get(path, headers=admin).status_code == 200  # read, not priced
    assert set(labels) == {"high", "medium"}
    assert series(priced.scrape(), "pricing_quotes_total") == dict(Counter(labels))
