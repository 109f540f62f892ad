"""Fixtures for the core's rate-limit tests."""

from __future__ import annotations

import pytest

from pricing_core.ratelimit.policy import RateLimitPolicy
from pricing_core.ratelimit.service import RateLimiter
from tests.unit.ratelimit.gear import LogStore, StillClock


@pytest.fixture
def clock() -> StillClock:
    return StillClock()


@pytest.fixture
def store(clock: StillClock) -> LogStore:
    return LogStore(clock)


@pytest.fixture
def limiter(store: LogStore, clock: StillClock) -> RateLimiter:
    return RateLimiter(policy=RateLimitPolicy(), store=store, clock=clock)
