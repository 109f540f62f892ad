"""Fixtures for the core's rate-limit tests."""

from __future__ import annotations

import pytest

from pricing_core.ratelimit.policy import RateLimitPolicy
from pricing_core.ratelimit.service import RateLimiter
from tests.gear.clock import FakeClock
from tests.unit.ratelimit.gear import T0, LogStore


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(T0)


@pytest.fixture
def store(clock: FakeClock) -> LogStore:
    return LogStore(clock)


@pytest.fixture
def limiter(store: LogStore, clock: FakeClock) -> RateLimiter:
    return RateLimiter(policy=RateLimitPolicy(), store=store, clock=clock)
