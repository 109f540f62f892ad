"""Gear for the rate-limit adapter tests: the real Redis (tests/conftest.py) with a key
prefix per test; a private redis-server the test may stop is `private_redis`."""

from __future__ import annotations

import pytest


@pytest.fixture
def prefix(redis_prefix: str) -> str:
    """The rate-limit stores add their own `:` after the prefix."""
    return redis_prefix.rstrip(":")
