"""The rate limiter's decision: numbers, the binding quota, and what happens when the store
does not answer."""

from __future__ import annotations

import pytest

from pricing_core.access.model import Principal
from pricing_core.access.roles import Role
from pricing_core.errors import CounterStoreUnavailable
from pricing_core.ratelimit.model import Caller
from pricing_core.ratelimit.policy import RateLimitPolicy
from pricing_core.ratelimit.service import RateLimiter
from tests.gear.clock import FakeClock
from tests.unit.ratelimit.gear import T0, LogStore
from tests.unit.recorded_metrics import RecordedMetrics

VIEWER = Principal(role=Role.VIEWER, user_id="v-1")
ME = Caller(ip="10.0.0.1", path="/api/v1/auth/me", principal=VIEWER)
LOGIN = Caller(ip="10.0.0.1", path="/api/v1/auth/login", account="email:ann@example.com")


def test_a_viewer_gets_100_then_a_refusal_with_retry_after(
    limiter: RateLimiter, clock: FakeClock
) -> None:
    decisions = [limiter.check(ME) for _ in range(101)]
    assert all(d is not None for d in decisions)
    allowed = [d for d in decisions if d is not None and d.allowed]
    assert len(allowed) == 100
    assert [d.remaining for d in allowed] == list(range(99, -1, -1))
    last = decisions[-1]
    assert last is not None
    assert not last.allowed
    assert (last.limit, last.remaining) == (100, 0)
    assert last.reset_at == int(T0.timestamp()) + 3600
    assert last.retry_after == 3600
    clock.advance(3600.5)
    again = limiter.check(ME)
    assert again is not None
    assert again.allowed
    assert again.remaining == 99


def test_the_window_slides_one_hit_at_a_time(limiter: RateLimiter, clock: FakeClock) -> None:
    policy = RateLimitPolicy(anonymous_limit=3, window=10)
    sliding = RateLimiter(policy=policy, store=limiter.store, clock=clock)
    anonymous = Caller(ip="10.0.0.9", path="/x")
    for _ in range(3):
        assert _allowed(sliding, anonymous)
        clock.advance(4)
    # Hits at 0, 4 and 8 s; at 12 s the first has left the window, the others have not.
    assert _allowed(sliding, anonymous)
    refused = sliding.check(anonymous)
    assert refused is not None
    assert not refused.allowed
    assert refused.retry_after == 2  # the hit at 4 s leaves at 14 s


def test_admin_and_exempt_paths_are_not_counted(limiter: RateLimiter, store: LogStore) -> None:
    admin = Principal(role=Role.ADMIN, user_id="a-1")
    assert limiter.check(Caller(ip="10.0.0.1", path="/api/v1/x", principal=admin)) is None
    assert limiter.check(Caller(ip="10.0.0.1", path="/health")) is None
    assert store.hits == []


def test_login_is_bound_by_the_auth_quota_and_a_refusal_spends_nothing_more(
    limiter: RateLimiter, store: LogStore
) -> None:
    for _ in range(10):
        decision = limiter.check(LOGIN)
        assert decision is not None
        assert decision.allowed
    refused = limiter.check(LOGIN)
    assert refused is not None
    assert not refused.allowed
    assert refused.binding.quota.name == "auth-ip"
    assert (refused.limit, refused.retry_after) == (10, 60)
    # The address's hourly quota was spent once per attempt, the account quota not by the 11th.
    assert [s.quota.name for s in refused.states] == ["perip", "auth-ip"]
    assert store.hits.count(store.hits[-1]) == 11


def test_the_binding_quota_is_the_one_with_fewest_left(limiter: RateLimiter) -> None:
    decision = limiter.check(LOGIN)
    assert decision is not None
    assert decision.binding.quota.name == "auth-ip"  # 9 of 10 left, against 49 of 50
    assert (decision.limit, decision.remaining, decision.retry_after) == (10, 9, 0)


def test_store_down_fails_open_for_normal_calls(limiter: RateLimiter, store: LogStore) -> None:
    store.down = True
    for _ in range(150):
        decision = limiter.check(ME)
        assert decision is not None
        assert decision.allowed
        assert decision.degraded


def test_store_down_fails_closed_for_authentication(limiter: RateLimiter, store: LogStore) -> None:
    store.down = True
    with pytest.raises(CounterStoreUnavailable):
        limiter.check(LOGIN)


def _allowed(limiter: RateLimiter, caller: Caller) -> bool:
    decision = limiter.check(caller)
    assert decision is not None
    return decision.allowed


def test_every_decision_is_reported_by_outcome(store: LogStore, clock: FakeClock) -> None:
    metrics = RecordedMetrics()
    limiter = RateLimiter(
        policy=RateLimitPolicy(anonymous_limit=2), store=store, clock=clock, metrics=metrics
    )
    anonymous = Caller(ip="10.0.0.7", path="/api/v1/x")
    for _ in range(5):
        limiter.check(anonymous)
    admin = Principal(role=Role.ADMIN, user_id="a-1")
    limiter.check(Caller(ip="10.0.0.1", path="/api/v1/x", principal=admin))  # nothing limits
    limiter.check(Caller(ip="10.0.0.1", path="/health"))  # exempt
    store.down = True
    limiter.check(anonymous)  # fails open: allowed
    with pytest.raises(CounterStoreUnavailable):
        limiter.check(LOGIN)  # fails closed
    assert metrics.of("rate_limit") == {("allowed",): 3, ("limited",): 3, ("unavailable",): 1}
