"""Token lifetimes, login throttling arithmetic, and the `iat` of tokens issued after revocation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pricing_core.access.sessions import issued_at
from pricing_core.access.tokens import ThrottlePolicy, TokenPolicy
from pricing_core.errors import TooManyAttempts

T0 = datetime(2026, 3, 1, 9, 0, 0, tzinfo=UTC)


class ListCounter:
    """A naive failure counter for unit tests: every failure ever, filtered by the window."""

    def __init__(self, window: timedelta) -> None:
        self.window = window
        self.times: dict[str, list[datetime]] = {}
        self.asked: list[str] = []

    def failures(self, key: str, now: datetime) -> tuple[int, datetime | None]:
        self.asked.append(key)
        live = [t for t in self.times.get(key, []) if t + self.window > now]
        return len(live), (min(live) + self.window if live else None)

    def add_failure(self, key: str, now: datetime) -> None:
        self.times.setdefault(key, []).append(now)

    def clear(self, key: str) -> None:
        self.times.pop(key, None)


def test_token_policy_defaults_follow_access_md() -> None:
    policy = TokenPolicy()
    assert policy.access_ttl == timedelta(minutes=15)
    assert policy.refresh_idle == timedelta(days=14)
    assert policy.refresh_absolute == timedelta(days=30)
    assert timedelta(seconds=1) <= policy.leeway <= timedelta(seconds=30)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"leeway": timedelta(seconds=31)},
        {"leeway": timedelta(0)},
        {"access_ttl": timedelta(0)},
        {"refresh_idle": timedelta(days=31)},
    ],
)
def test_token_policy_refuses_unsafe_values(kwargs: dict[str, timedelta]) -> None:
    with pytest.raises(ValueError, match=r"leeway|positive|refresh_idle"):
        TokenPolicy(**kwargs)


def test_five_failures_lock_the_account_until_the_oldest_leaves_the_window() -> None:
    policy = ThrottlePolicy()
    counter = ListCounter(policy.window)
    for minute in range(5):
        policy.check(counter, email="a@x.io", ip="10.0.0.1", now=T0 + timedelta(minutes=minute))
        policy.record_failure(
            counter, email="a@x.io", ip="10.0.0.1", now=T0 + timedelta(minutes=minute)
        )
    now = T0 + timedelta(minutes=4, seconds=30)
    with pytest.raises(TooManyAttempts) as caught:
        policy.check(counter, email="a@x.io", ip="10.0.0.1", now=now)
    assert caught.value.retry_after == 10 * 60 + 30  # the first failure leaves at T0 + 15 min
    policy.check(counter, email="b@x.io", ip="10.0.0.2", now=now)  # others are not affected
    policy.check(counter, email="a@x.io", ip="10.0.0.1", now=T0 + timedelta(minutes=15))


def test_twenty_failures_from_one_address_lock_the_address() -> None:
    policy = ThrottlePolicy()
    counter = ListCounter(policy.window)
    for n in range(20):
        policy.record_failure(counter, email=f"user{n}@x.io", ip="10.0.0.9", now=T0)
    with pytest.raises(TooManyAttempts) as caught:
        policy.check(counter, email="fresh@x.io", ip="10.0.0.9", now=T0 + timedelta(seconds=1))
    assert caught.value.retry_after == 15 * 60 - 1
    policy.check(counter, email="fresh@x.io", ip="10.0.0.10", now=T0 + timedelta(seconds=1))


def test_retry_after_is_whole_seconds_rounded_up_and_at_least_one() -> None:
    policy = ThrottlePolicy(account_limit=1)
    counter = ListCounter(policy.window)
    policy.record_failure(counter, email="a@x.io", ip="", now=T0)
    almost = T0 + policy.window - timedelta(milliseconds=1)
    with pytest.raises(TooManyAttempts) as caught:
        policy.check(counter, email="a@x.io", ip="", now=almost)
    assert caught.value.retry_after == 1
    assert counter.asked == ["login:account:a@x.io"]  # no address: no address key


def test_success_clears_the_account_but_not_the_address() -> None:
    policy = ThrottlePolicy()
    counter = ListCounter(policy.window)
    policy.record_failure(counter, email="a@x.io", ip="10.0.0.1", now=T0)
    policy.record_success(counter, email="a@x.io")
    assert counter.failures(policy.account_key("a@x.io"), T0)[0] == 0
    assert counter.failures(policy.ip_key("10.0.0.1"), T0)[0] == 1


@pytest.mark.parametrize("limit", [0, -1])
def test_throttle_limits_are_positive(limit: int) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        ThrottlePolicy(account_limit=limit)


def test_issued_at_is_whole_seconds() -> None:
    now = T0 + timedelta(microseconds=700_000)
    assert issued_at(now, None) == T0
    assert issued_at(now, T0 - timedelta(days=1)) == T0


def test_a_token_issued_in_the_second_of_a_revocation_is_not_before_it() -> None:
    revoked = T0 + timedelta(microseconds=200_000)
    now = T0 + timedelta(microseconds=700_000)
    iat = issued_at(now, revoked)
    assert iat >= revoked
    assert iat == T0 + timedelta(seconds=1)
    assert issued_at(now, T0) == T0  # a whole-second revocation needs no bump
