"""Every key the API writes in Redis starts with PRICING_REDIS_PREFIX (issue 11): the rate
limits', the login failure counters' and the revocation cache's, so two deployments can
share one Redis."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import redis

from pricing_adapters.settings import Settings, SettingsError
from pricing_core.access.roles import Role
from tests.e2e.access.conftest import Api, ApiFactory, bearer


@pytest.fixture
def prefix(redis_url: str) -> Iterator[str]:
    name = f"pricing-test-{uuid.uuid4().hex[:10]}"
    yield name
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=f"{name}:*", count=500))
    if keys:
        client.delete(*keys)
    client.close()


def test_failures_revocations_and_limits_live_under_the_prefix(
    make_api: ApiFactory, sqlite_url: str, redis_url: str, prefix: str
) -> None:
    api: Api = make_api(
        database_url=sqlite_url,
        PRICING_REDIS_URL=redis_url,
        PRICING_REDIS_PREFIX=prefix,
        PRICING_RATE_LIMIT_ENABLED="true",
    )
    user = api.add_user(Role.VIEWER)
    wrong = {"email": user.email, "password": "not the password, but long enough"}
    assert api.client.post("/api/v1/auth/login", json=wrong).status_code == 401
    tokens = api.login(user.email)
    assert (
        api.client.post("/api/v1/auth/logout", headers=bearer(tokens["access_token"])).status_code
        == 204
    )
    client = redis.Redis.from_url(redis_url)
    keys = {key.decode() for key in client.scan_iter(match=f"{prefix}:*", count=1000)}
    client.close()
    kinds = {key[len(prefix) + 1 :].split(":")[0] for key in keys}
    assert {"failures", "revoked", "ratelimit"} <= kinds, keys


def test_the_rate_limit_prefix_follows_the_general_one_unless_set(tmp_path: object) -> None:
    base = {"PRICING_DATA_DIR": str(tmp_path)}
    assert Settings.from_env(base).rate_limit_prefix == "pricing:ratelimit"
    ours = Settings.from_env({**base, "PRICING_REDIS_PREFIX": "acme:"})
    assert (ours.redis_prefix, ours.rate_limit_prefix) == ("acme", "acme:ratelimit")
    both = {**base, "PRICING_REDIS_PREFIX": "acme", "PRICING_RATE_LIMIT_PREFIX": "rl"}
    assert Settings.from_env(both).rate_limit_prefix == "rl"
    # Only the rate-limit prefix set: the failure and revocation keys follow it.
    limits = Settings.from_env({**base, "PRICING_RATE_LIMIT_PREFIX": "shop:rl"})
    assert (limits.redis_prefix, limits.rate_limit_prefix) == ("shop:rl", "shop:rl")
    with pytest.raises(SettingsError, match="PRICING_REDIS_PREFIX"):
        Settings.from_env({**base, "PRICING_REDIS_PREFIX": "two words"})
