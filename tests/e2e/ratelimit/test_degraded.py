"""Checklist 24: with Redis stopped mid-test, each process falls back to its own counts (fail
open for normal calls, still limiting logins), says so, and shares limits again once Redis is
back. The Redis here is a private server on a free port; the shared one is never stopped."""

from __future__ import annotations

import logging
import time
from unittest.mock import ANY

import pytest

from pricing_core.access.roles import Role
from tests.e2e.ratelimit.conftest import MakeApi
from tests.e2e.ratelimit.gear import ME, Api
from tests.gear.private_redis import PrivateRedis

LOGIN = "/api/v1/auth/login"


def env(redis_url: str) -> dict[str, str]:
    return {
        "PRICING_REDIS_URL": redis_url,
        "PRICING_RATE_LIMIT_PREFIX": "pricing-test:rl:degraded",  # one count for both apps
        "PRICING_RATE_LIMITS": "VIEWER=5,anonymous=100",
        "PRICING_RATE_LIMIT_WINDOW": "60",
    }


def two_processes(make_api: MakeApi, server: PrivateRedis) -> tuple[Api, Api]:
    """Two apps with their own containers on one Redis: two API processes, in effect."""
    return make_api(**env(server.url)), make_api(**env(server.url))


def same_viewer(a: Api, b: Api) -> dict[str, str]:
    """One account known to both apps (one database, in effect), and its bearer header."""
    user = a.add_user(Role.VIEWER)
    b.container.access.users.add(user)
    return a.token(user)


def codes(api: Api, n: int, headers: dict[str, str]) -> list[int]:
    return [api.client.get(ME, headers=headers).status_code for _ in range(n)]


WRONG = {"email": "someone@example.com", "password": "wrong password, long enough"}


def failed_logins(api: Api, n: int) -> list[int]:
    return [api.client.post(LOGIN, json=WRONG).status_code for _ in range(n)]


def test_redis_stopped_and_restarted_mid_test(
    make_api: MakeApi, private_redis: PrivateRedis, caplog: pytest.LogCaptureFixture
) -> None:
    a, b = two_processes(make_api, private_redis)
    store = a.container.rate_limiter.store
    events: list[str] = []  # what a metric or /ready hooks onto
    store.on_degraded.append(lambda: events.append("degraded"))
    store.on_recovered.append(lambda: events.append("recovered"))
    viewer = same_viewer(a, b)

    # Redis up: one count for both processes.
    assert codes(a, 3, viewer) == [200] * 3
    assert b.client.get(ME, headers=viewer).headers["X-RateLimit-Remaining"] == "1"
    assert not a.container.rate_limiter.degraded

    private_redis.stop()
    with caplog.at_level(logging.WARNING, logger="pricing_adapters.redis"):
        # Fail open, no 5xx: each process counts alone, under the same policy.
        assert codes(a, 7, viewer) == [200] * 5 + [429] * 2
        assert codes(b, 7, viewer) == [200] * 5 + [429] * 2
    assert a.container.rate_limiter.degraded
    assert b.container.rate_limiter.degraded
    assert events == ["degraded"]
    said = [r.getMessage() for r in caplog.records if r.name == "pricing_adapters.redis"]
    assert len([m for m in said if "degraded" in m]) == 2  # once per process
    ready = a.client.get("/ready")
    assert ready.status_code == 200
    assert ready.json()["status"] == "degraded"
    assert ready.json()["checks"]["redis"]["state"] == "down"

    # Logins are still limited by the in-process fallbacks: the account's failure throttle
    # (5 in 15 minutes) and the login rate limit both keep counting while Redis is down.
    attempts = failed_logins(a, 10)
    assert all(code < 500 for code in attempts)
    assert attempts[:5] == [401] * 5
    eleventh = a.client.post(LOGIN, json=WRONG)
    assert eleventh.status_code == 429
    # Refused by the request rate limit's fallback (before the handler), not only the throttle.
    assert eleventh.json() == {
        "type": "https://job-pricing.dev/problems/quota-exceeded",
        "title": "Too many requests",
        "status": 429,
        "detail": ANY,
        "code": "rate_limit_exceeded",
        "error": "Rate limit exceeded",
        "limit": 10,
        "reset_at": ANY,
        "retry_after": ANY,
    }

    private_redis.start()  # empty: the shared counts start again
    deadline = time.monotonic() + 15
    fresh = same_viewer(a, b)
    while a.container.rate_limiter.degraded and time.monotonic() < deadline:
        time.sleep(0.5)
        a.client.get(ME, headers=fresh)
    while b.container.rate_limiter.degraded and time.monotonic() < deadline:
        time.sleep(0.5)
        b.client.get(ME, headers=fresh)
    assert not a.container.rate_limiter.degraded
    assert not b.container.rate_limiter.degraded
    assert events == ["degraded", "recovered"]
    again = same_viewer(a, b)
    assert codes(a, 3, again) + codes(b, 2, again) == [200] * 5
    assert codes(a, 1, again) + codes(b, 1, again) == [429, 429]  # shared again


def test_login_answers_no_5xx_while_redis_is_down(make_api: MakeApi) -> None:
    api = make_api(PRICING_REDIS_URL="redis://127.0.0.1:1/0")
    assert all(code < 500 for code in failed_logins(api, 3))
