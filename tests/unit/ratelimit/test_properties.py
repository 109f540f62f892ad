"""Hypothesis properties: a limiter never allows more than its limit in any window; remaining
is never negative and goes down with every hit the window keeps."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pricing_core.access.model import Principal
from pricing_core.access.roles import Role
from pricing_core.ratelimit.model import Caller
from pricing_core.ratelimit.policy import RateLimitPolicy
from pricing_core.ratelimit.rules import admit
from pricing_core.ratelimit.service import RateLimiter
from tests.gear.clock import FakeClock
from tests.unit.ratelimit.gear import T0, LogStore

gaps = st.lists(st.floats(min_value=0, max_value=30, allow_nan=False), max_size=120)


@given(gaps=gaps, limit=st.integers(1, 12), window=st.integers(1, 60))
def test_no_window_ever_holds_more_than_the_limit(
    gaps: list[float], limit: int, window: int
) -> None:
    log: tuple[float, ...] = ()
    now, allowed_at = 0.0, []
    for gap in gaps:
        now += gap
        usage, log = admit(log, now, limit, window)
        assert 0 <= usage.remaining <= limit - (1 if usage.allowed else 0)
        assert 0 <= usage.reset_in <= window
        if usage.allowed:
            allowed_at.append(now)
    # Every window [t - window, t] ending at an allowed hit holds at most `limit` of them.
    for end in allowed_at:
        assert sum(1 for t in allowed_at if end - window <= t <= end) <= limit


@given(hits=st.integers(0, 40), limit=st.integers(1, 20))
def test_remaining_decreases_by_one_per_hit_until_zero(hits: int, limit: int) -> None:
    log: tuple[float, ...] = ()
    seen = []
    for i in range(hits):
        usage, log = admit(log, i * 0.001, limit, 3600)
        assert usage.allowed == (i < limit)
        seen.append(usage.remaining)
    assert seen == [max(0, limit - 1 - i) for i in range(hits)]


callers = st.lists(
    st.tuples(
        st.sampled_from([None, *Role]),
        st.sampled_from(["u1", "u2", "u3"]),
        st.sampled_from(["10.0.0.1", "10.0.0.2", "2001:db8::1", "2001:db8::2"]),
    ),
    max_size=80,
)


@settings(max_examples=60)
@given(calls=callers, step=st.floats(min_value=0, max_value=5, allow_nan=False))
def test_the_limiter_never_lets_a_key_exceed_its_quota(
    calls: list[tuple[Role | None, str, str]], step: float
) -> None:
    limits = {"VIEWER": 3, "HR_ANALYST": 4, "HR_MANAGER": 5, "ADMIN": None}
    policy = RateLimitPolicy(role_limits=limits, anonymous_limit=2, window=20)
    clock = FakeClock(T0)
    limiter = RateLimiter(policy=policy, store=LogStore(clock), clock=clock)
    history: dict[str, list[tuple[float, bool, int]]] = {}
    quota: dict[str, int] = {}
    for role, user_id, ip in calls:
        principal = None if role is None else Principal(role=role, user_id=f"{role}-{user_id}")
        caller = Caller(ip=ip, path="/api/v1/x", principal=principal)
        decision = limiter.check(caller)
        if role is Role.ADMIN:
            assert decision is None
        else:
            assert decision is not None
            assert 0 <= decision.remaining <= decision.limit
            assert decision.allowed or decision.retry_after >= 1
            key = policy.subject_key(caller)
            quota[key] = decision.limit
            now = clock.now().timestamp()
            history.setdefault(key, []).append((now, decision.allowed, decision.remaining))
        clock.advance(step)
    for key, records in history.items():
        allowed = [t for t, ok, _ in records if ok]
        # Every 20 s window ending at an allowed hit holds at most the key's quota.
        assert all(sum(1 for t in allowed if end - 20 <= t <= end) <= quota[key] for end in allowed)
        if step == 0:  # the clock stands still: exactly the quota passes, remaining only falls
            assert len(allowed) == min(len(records), quota[key])
            remaining = [r for _, _, r in records]
            assert remaining == sorted(remaining, reverse=True)
