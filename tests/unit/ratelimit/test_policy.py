"""The policy of access.md: quotas per role and per address, exemptions, keys, auth routes."""

from __future__ import annotations

import pytest

from pricing_core.access.model import Principal
from pricing_core.access.roles import Role
from pricing_core.ratelimit.model import Caller, Quota
from pricing_core.ratelimit.policy import RateLimitPolicy, ip_key

POLICY = RateLimitPolicy()
ROUTE = "/api/v1/auth/me"


def user(role: Role, user_id: str = "u-1") -> Principal:
    return Principal(role=role, user_id=user_id)


@pytest.mark.parametrize(
    ("role", "limit"),
    [(Role.VIEWER, 100), (Role.HR_ANALYST, 500), (Role.HR_MANAGER, 1000)],
)
def test_each_role_gets_access_md_quota_per_sliding_hour(role: Role, limit: int) -> None:
    (found,) = POLICY.limits_for(Caller(ip="10.0.0.1", path=ROUTE, principal=user(role)))
    assert found.quota == Quota(name="peruser", limit=limit, window=3600)
    assert found.key == "user:u-1"


def test_admin_is_unlimited_and_anonymous_gets_50_per_address() -> None:
    assert POLICY.limits_for(Caller(ip="10.0.0.1", path=ROUTE, principal=user(Role.ADMIN))) == ()
    (found,) = POLICY.limits_for(Caller(ip="10.0.0.1", path=ROUTE))
    assert found.quota == Quota(name="perip", limit=50, window=3600)
    assert found.key == "ip:10.0.0.1"


def test_api_keys_are_keyed_by_key_id_with_their_role_quota() -> None:
    principal = Principal(role=Role.HR_ANALYST, api_key_id="k-9")
    (found,) = POLICY.limits_for(Caller(ip="10.0.0.1", path=ROUTE, principal=principal))
    assert (found.key, found.quota.limit) == ("apikey:k-9", 500)


def test_two_users_behind_one_address_have_different_keys() -> None:
    a = POLICY.limits_for(Caller(ip="10.0.0.1", path=ROUTE, principal=user(Role.VIEWER, "a")))
    b = POLICY.limits_for(Caller(ip="10.0.0.1", path=ROUTE, principal=user(Role.VIEWER, "b")))
    assert a[0].key != b[0].key


@pytest.mark.parametrize(
    "path",
    ["/health", "/health/", "/health/live", "/ready", "/metrics", "/schema", "/schema/swagger"],
)
def test_probes_scrapes_and_docs_are_exempt(path: str) -> None:
    assert POLICY.exempt(path)
    assert POLICY.limits_for(Caller(ip="10.0.0.1", path=path)) == ()


@pytest.mark.parametrize("path", ["/healthz", "/api/v1/health", "/readyz", "/", "/metricsx"])
def test_lookalike_paths_are_not_exempt(path: str) -> None:
    assert not POLICY.exempt(path)
    assert POLICY.limits_for(Caller(ip="10.0.0.1", path=path)) != ()


def test_ipv6_clients_are_counted_per_64_and_mapped_ipv4_as_ipv4() -> None:
    assert ip_key("2001:db8:1:2:aaaa::1") == ip_key("2001:db8:1:2:bbbb::7") == "2001:db8:1:2::/64"
    assert ip_key("2001:db8:1:3::1") != ip_key("2001:db8:1:2::1")
    assert ip_key("::ffff:192.0.2.7") == "192.0.2.7"
    assert ip_key(" 192.0.2.7 ") == "192.0.2.7"
    assert ip_key("testclient") == "testclient"
    assert len(ip_key("x" * 500)) == 64


def test_login_counts_per_address_and_per_account_and_fails_closed() -> None:
    caller = Caller(ip="10.0.0.1", path="/api/v1/auth/login", account="email:ann@example.com")
    general, by_ip, by_account = POLICY.limits_for(caller)
    assert general.quota.name == "perip"
    assert general.quota.fail_open
    assert by_ip.quota == Quota(name="auth-ip", limit=10, window=60, fail_open=False)
    assert by_ip.key == "auth-ip:10.0.0.1"
    assert by_account.quota.name == "auth-account"
    assert not by_account.quota.fail_open
    # The email is hashed: it is in no counter key in clear.
    assert "ann" not in by_account.key
    assert by_account.key.startswith("auth-account:")
    other = POLICY.limits_for(Caller(ip="10.0.0.2", path=caller.path, account="email:bob@x.io"))
    assert other[2].key != by_account.key


def test_password_change_counts_against_the_callers_account_even_for_an_admin() -> None:
    caller = Caller(
        ip="10.0.0.1", path="/api/v1/auth/me/change-password", principal=user(Role.ADMIN)
    )
    found = POLICY.limits_for(caller)
    assert [f.quota.name for f in found] == ["auth-ip", "auth-account"]


def test_a_login_without_a_readable_account_still_counts_per_address() -> None:
    found = POLICY.limits_for(Caller(ip="10.0.0.1", path="/api/v1/auth/refresh"))
    assert [f.quota.name for f in found] == ["perip", "auth-ip"]


def test_disabled_policy_limits_nothing() -> None:
    off = RateLimitPolicy(enabled=False)
    assert off.limits_for(Caller(ip="10.0.0.1", path="/api/v1/auth/login")) == ()


def test_overrides_and_validation() -> None:
    policy = RateLimitPolicy(
        role_limits={"VIEWER": 60, "HR_ANALYST": 1, "HR_MANAGER": 2, "ADMIN": 600}, window=60
    )
    (found,) = policy.limits_for(Caller(ip="1.1.1.1", path=ROUTE, principal=user(Role.ADMIN)))
    assert (found.quota.limit, found.quota.window) == (600, 60)
    with pytest.raises(ValueError, match="lacks"):
        RateLimitPolicy(role_limits={"VIEWER": 1})
    with pytest.raises(ValueError, match="at least 1"):
        RateLimitPolicy(anonymous_limit=0)
    with pytest.raises(ValueError):
        RateLimitPolicy(window=0)
    with pytest.raises(ValueError):
        Quota(name="Bad Name", limit=1, window=1)
