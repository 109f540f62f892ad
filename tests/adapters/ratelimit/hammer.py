"""One client process of the concurrency tests: `threads` threads, `each` checks apiece, all
for one user, through the real rate limiter on Redis.

Run as a script (`python hammer.py URL PREFIX USER`): it prints one JSON list of booleans.
A script rather than a multiprocessing target, because spawned processes cannot import the
test tree.
"""

from __future__ import annotations

import json
import sys
from concurrent.futures import ThreadPoolExecutor

from pricing_adapters.clock import SystemClock
from pricing_adapters.ratelimit_store import redis_counter_store
from pricing_core.access.model import Principal
from pricing_core.ratelimit.model import Caller
from pricing_core.ratelimit.policy import RateLimitPolicy
from pricing_core.ratelimit.service import RateLimiter

LIMITS = {"VIEWER": 10, "HR_ANALYST": 10, "HR_MANAGER": 10, "ADMIN": None}


def hammer(url: str, prefix: str, user_id: str, threads: int = 8, each: int = 5) -> list[bool]:
    limiter = RateLimiter(
        policy=RateLimitPolicy(role_limits=LIMITS, window=60),
        store=redis_counter_store(url, prefix=prefix),
        clock=SystemClock(),
    )
    caller = Caller(
        ip="10.0.0.1", path="/api/v1/x", principal=Principal(role="VIEWER", user_id=user_id)
    )

    def one(_: int) -> bool:
        decision = limiter.check(caller)
        assert decision is not None
        return decision.allowed

    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(one, range(threads * each)))


if __name__ == "__main__":
    print(json.dumps(hammer(sys.argv[1], sys.argv[2], sys.argv[3])))
