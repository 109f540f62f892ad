"""Settings for rate limits and trusted proxies, and the limiter the composition root builds."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from pricing_adapters.clock import SystemClock
from pricing_adapters.ratelimit_store import (
    FallbackCounterStore,
    LimitsCounterStore,
    build_rate_limiter,
    policy_from,
)
from pricing_adapters.settings import Settings, SettingsError
from pricing_core.access.roles import Role
from tests.gear.redis_keys import DEAD_REDIS_URL


def settings(tmp_path: Path, **env: str) -> Settings:
    return Settings.from_env({"PRICING_DATA_DIR": str(tmp_path), **env})


def test_defaults_are_access_md(tmp_path: Path) -> None:
    found = settings(tmp_path)
    assert found.trusted_proxies == ()
    policy = policy_from(found)
    assert dict(policy.role_limits) == {
        Role.ADMIN: None,
        Role.HR_MANAGER: 1000,
        Role.HR_ANALYST: 500,
        Role.VIEWER: 100,
    }
    assert (policy.anonymous_limit, policy.window, policy.enabled) == (50, 3600, True)
    assert (policy.auth_limit, policy.auth_window) == (10, 60)


def test_overrides(tmp_path: Path) -> None:
    found = settings(
        tmp_path,
        PRICING_RATE_LIMITS="viewer=60, ADMIN=600,anonymous=unlimited,auth=3",
        PRICING_RATE_LIMIT_WINDOW="60",
        PRICING_RATE_LIMIT_AUTH_WINDOW="30",
        PRICING_RATE_LIMIT_ENABLED="false",
        PRICING_TRUSTED_PROXIES="10.0.0.0/8, 192.0.2.1,fd00::/8",
    )
    policy = policy_from(found)
    assert policy.role_limits[Role.VIEWER] == 60
    assert policy.role_limits[Role.ADMIN] == 600
    assert policy.role_limits[Role.HR_ANALYST] == 500  # untouched
    assert policy.anonymous_limit is None
    assert (policy.auth_limit, policy.window, policy.auth_window) == (3, 60, 30)
    assert not policy.enabled
    assert found.trusted_proxies == ("10.0.0.0/8", "192.0.2.1/32", "fd00::/8")


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("PRICING_TRUSTED_PROXIES", "10.0.0.1,proxy.local", "proxy.local"),
        ("PRICING_RATE_LIMITS", "VIEWER=0", "VIEWER"),
        ("PRICING_RATE_LIMITS", "GUEST=5", "GUEST"),
        ("PRICING_RATE_LIMITS", "VIEWER=lots", "VIEWER=lots"),
        ("PRICING_RATE_LIMIT_WINDOW", "0", "PRICING_RATE_LIMIT_WINDOW"),
    ],
)
def test_bad_values_are_refused_by_name(
    tmp_path: Path, name: str, value: str, message: str
) -> None:
    with pytest.raises(SettingsError, match=message):
        settings(tmp_path, **{name: value})


def test_memory_without_redis_and_fallback_with_it_connecting_to_nothing(tmp_path: Path) -> None:
    alone = build_rate_limiter(settings(tmp_path), SystemClock())
    assert isinstance(alone.store, LimitsCounterStore)
    started = time.monotonic()
    shared = build_rate_limiter(settings(tmp_path, PRICING_REDIS_URL=DEAD_REDIS_URL), SystemClock())
    assert time.monotonic() - started < 0.5
    assert isinstance(shared.store, FallbackCounterStore)
    assert not shared.degraded  # nothing was tried yet
