"""GET /ready (checklist 28): per-dependency states and latencies, 503 only for the database,
an answer within a second whatever hangs, no secret, no rate limit.

A blackholed server is a local socket that completes the TCP handshake and then never says a
word (it is never accepted): PostgreSQL's and Redis's clients wait on it until their own
timeouts. A refused one is port 1, where nothing listens.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from pricing_adapters.bootstrap import build_container
from pricing_adapters.prepare import prepare
from pricing_api.http.app import create_app
from tests.gear.worlds import settings_for

SECRET = "s3cr3t-pa55word"
REFUSED_REDIS = "redis://127.0.0.1:1/0"
REFUSED_POSTGRES = f"postgresql://pricing:{SECRET}@127.0.0.1:1/pricing"


@pytest.fixture
def blackhole() -> Iterator[int]:
    """A port that accepts connections (the kernel's backlog) and never answers."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    try:
        yield server.getsockname()[1]
    finally:
        server.close()


def ready(tmp_path: Path, database_url: str = "memory://", *, seed: bool = True, **env: str) -> Any:
    """GET /ready once on an app over those settings: (response, seconds it took)."""
    settings = settings_for(tmp_path, database_url, PRICING_BUNDLED_DATA="false", **env)
    container = build_container(settings)
    if seed:
        prepare(container)
    with TestClient(create_app(container)) as client:
        started = time.perf_counter()
        response = client.get("/ready")
        elapsed = time.perf_counter() - started
    if container.engine is not None:
        container.engine.dispose()
    return response, elapsed


def states(response: Any) -> dict[str, str]:
    return {name: check["state"] for name, check in response.json()["checks"].items()}


def test_memory_needs_nothing_and_says_what_is_not_configured(tmp_path: Path) -> None:
    response, _ = ready(tmp_path)
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert states(response) == {
        "database": "ok",
        "redis": "not_configured",
        "broker": "not_configured",
        "llm": "not_configured",
        "rate_limits": "ok",
    }
    assert response.json()["checks"]["database"]["backend"] == "memory"
    assert response.json()["checks"]["rate_limits"]["backend"] == "memory"
    assert response.headers["cache-control"] == "no-store"


def test_real_postgresql_and_redis(tmp_path: Path, postgres_url: str, redis_url: str) -> None:
    response, _ = ready(tmp_path, postgres_url, PRICING_REDIS_URL=redis_url)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "ok"
    assert states(response)["database"] == states(response)["redis"] == "ok"
    assert body["checks"]["database"]["backend"] == "postgresql"
    assert body["checks"]["rate_limits"] == {"state": "ok", "latency_ms": None, "backend": "redis"}
    for name in ("database", "redis"):
        assert 0 <= body["checks"][name]["latency_ms"] < 800


def test_sqlite(tmp_path: Path, sqlite_url: str) -> None:
    response, _ = ready(tmp_path, sqlite_url)
    assert response.status_code == 200
    assert response.json()["checks"]["database"] | {"latency_ms": 0} == {
        "state": "ok",
        "latency_ms": 0,
        "backend": "sqlite",
    }


def test_redis_refused_is_degraded_not_down(tmp_path: Path) -> None:
    response, elapsed = ready(tmp_path, PRICING_REDIS_URL=REFUSED_REDIS)
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert states(response)["redis"] == "down"
    assert response.json()["checks"]["redis"]["detail"] == "ConnectionError"
    assert elapsed < 1


def test_limits_counted_per_process_while_redis_is_down_say_so(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, PRICING_BUNDLED_DATA="false", PRICING_REDIS_URL=REFUSED_REDIS)
    with TestClient(create_app(build_container(settings))) as client:
        assert client.get("/api/v1/market/sources").status_code == 401  # counted per address
        response = client.get("/ready")
    assert (response.status_code, response.json()["status"]) == (200, "degraded")
    limits = response.json()["checks"]["rate_limits"]
    assert (limits["state"], limits["backend"]) == ("degraded", "memory")


def test_redis_blackholed_answers_within_a_second(tmp_path: Path, blackhole: int) -> None:
    url = f"redis://:{SECRET}@127.0.0.1:{blackhole}/0"
    response, elapsed = ready(tmp_path, PRICING_REDIS_URL=url)
    assert elapsed < 1, elapsed
    assert (response.status_code, response.json()["status"]) == (200, "degraded")
    assert states(response)["redis"] == "down"
    assert SECRET not in response.text
    assert str(blackhole) not in response.text


def test_postgresql_refused_is_503(tmp_path: Path) -> None:
    response, elapsed = ready(tmp_path, REFUSED_POSTGRES, seed=False)
    assert response.status_code == 503
    assert response.json()["status"] == "down"
    assert states(response)["database"] == "down"
    assert response.json()["checks"]["database"]["backend"] == "postgresql"
    assert SECRET not in response.text
    assert elapsed < 1


def test_postgresql_blackholed_is_503_within_a_second(tmp_path: Path, blackhole: int) -> None:
    url = f"postgresql://pricing:{SECRET}@127.0.0.1:{blackhole}/pricing"
    response, elapsed = ready(tmp_path, url, seed=False, PRICING_REDIS_URL=REFUSED_REDIS)
    assert elapsed < 1, elapsed
    assert response.status_code == 503
    body = response.json()
    assert states(response) == {
        "database": "down",
        "redis": "down",
        "broker": "not_configured",
        "llm": "not_configured",
        "rate_limits": "ok",  # nothing was counted yet: no request met the dead Redis
    }
    assert body["checks"]["database"]["detail"] == "no answer within 800 ms"
    for secret in (SECRET, str(blackhole), "pricing:", "127.0.0.1"):
        assert secret not in response.text


def test_probes_of_a_hung_database_do_not_pile_up(tmp_path: Path, blackhole: int) -> None:
    url = f"postgresql://pricing:{SECRET}@127.0.0.1:{blackhole}/pricing"
    container = build_container(settings_for(tmp_path, url, PRICING_BUNDLED_DATA="false"))
    with TestClient(create_app(container)) as client:
        answers = [client.get("/ready").status_code for _ in range(4)]
    checks = [t for t in threading.enumerate() if t.name == "ready-database"]
    assert answers == [503] * 4
    assert len(checks) <= 1  # the first check is still waiting; nobody started another
    container.engine.dispose()  # type: ignore[union-attr]


def test_ready_is_public_and_never_rate_limited(tmp_path: Path) -> None:
    settings = settings_for(
        tmp_path, PRICING_BUNDLED_DATA="false", PRICING_RATE_LIMITS="anonymous=2"
    )
    with TestClient(create_app(build_container(settings))) as client:
        answers = [client.get("/ready") for _ in range(5)]
        limited = [client.get("/api/v1/market/sources").status_code for _ in range(3)]
    assert [a.status_code for a in answers] == [200] * 5
    assert not any("x-ratelimit-limit" in a.headers for a in answers)
    assert limited[-1] == 429  # the limit is on, /ready is not under it


@pytest.mark.parametrize(
    "broker_url", ["redis://127.0.0.1:6379/9", "amqp://guest:guest@127.0.0.1:5672/"]
)
def test_a_broker_that_answers_is_ok(tmp_path: Path, broker_url: str) -> None:
    response, _ = ready(tmp_path, PRICING_BROKER_URL=broker_url)
    assert response.status_code == 200
    assert states(response)["broker"] == "ok"


@pytest.mark.parametrize(
    "broker_url", [f"redis://:{SECRET}@127.0.0.1:1/0", f"amqp://guest:{SECRET}@127.0.0.1:1/"]
)
def test_a_broker_refused_is_degraded_and_shows_no_secret(tmp_path: Path, broker_url: str) -> None:
    response, _ = ready(tmp_path, PRICING_BROKER_URL=broker_url)
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert states(response)["broker"] == "down"
    assert SECRET not in response.text
