"""Counter stores on the `limits` library's moving window (Redis or memory), and a store that
falls back to this process's memory while Redis is down."""

from __future__ import annotations

import time
from collections.abc import Callable

import attrs
import redis
from limits import RateLimitItemPerSecond
from limits.storage import MemoryStorage, RedisStorage, Storage
from limits.strategies import MovingWindowRateLimiter
from redis.backoff import NoBackoff
from redis.retry import Retry

from pricing_adapters.redis_breaker import RedisBreaker
from pricing_adapters.redis_link import RedisLink, connect_redis
from pricing_adapters.settings import Settings
from pricing_core.access.roles import Role
from pricing_core.errors import CounterStoreUnavailable
from pricing_core.ports import Clock, Metrics
from pricing_core.ratelimit.model import Usage
from pricing_core.ratelimit.policy import RateLimitPolicy
from pricing_core.ratelimit.ports import CounterStore
from pricing_core.ratelimit.service import RateLimiter

__all__ = [
    "FallbackCounterStore",
    "LimitsCounterStore",
    "build_rate_limiter",
    "linked_counter_store",
    "memory_counter_store",
    "policy_from",
    "redis_counter_store",
]

# A hung Redis must not hold requests: give up fast, retry a dropped connection once at once
# (a pooled connection that a Redis restart killed), then fall back.
REDIS_TIMEOUT_SECONDS = 0.1
RETRY_REDIS_AFTER_SECONDS = 5.0
DEFAULT_PREFIX = "pricing:ratelimit"

Hook = Callable[[], None]


class LimitsCounterStore(CounterStore):
    """A `limits` moving window (a log of hit times per key) on `storage`.

    On Redis each hit is one Lua script (`limits`' acquire_moving_window): atomic across
    every process sharing the server. Redis errors become CounterStoreUnavailable. Hit times
    are the library's wall clock (`time.time`), so `reset_in` is measured on it too.
    """

    def __init__(self, storage: Storage) -> None:
        self._storage = storage
        self._limiter = MovingWindowRateLimiter(storage)
        self.on_degraded: list[Hook] = []
        self.on_recovered: list[Hook] = []

    @property
    def degraded(self) -> bool:
        return False

    def hit(self, key: str, limit: int, window: int) -> Usage:
        item = RateLimitItemPerSecond(limit, window, namespace="rl")
        try:
            allowed = self._limiter.hit(item, key)
            stats = self._limiter.get_window_stats(item, key)
        except redis.RedisError as error:
            raise CounterStoreUnavailable(
                f"rate-limit counters: {type(error).__name__}: {error}"
            ) from error
        now = time.time()  # noqa: TID251 - `limits` stamps hits with time.time(); same clock
        return Usage(
            allowed=allowed,
            remaining=max(0, min(limit, stats.remaining)),
            reset_in=max(0.0, stats.reset_time - now),
        )


def redis_counter_store(
    url: str, *, prefix: str = DEFAULT_PREFIX, timeout: float = REDIS_TIMEOUT_SECONDS
) -> LimitsCounterStore:
    """The shared store. Connects on first use, not here."""
    pool = redis.ConnectionPool.from_url(
        url,
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
        retry=Retry(NoBackoff(), 1, supported_errors=(redis.ConnectionError,)),
    )
    return LimitsCounterStore(RedisStorage(url, connection_pool=pool, key_prefix=prefix))


def linked_counter_store(link: RedisLink, *, prefix: str = DEFAULT_PREFIX) -> LimitsCounterStore:
    """The shared store on the process's one Redis pool."""
    return LimitsCounterStore(RedisStorage(link.url, connection_pool=link.pool, key_prefix=prefix))


def memory_counter_store() -> LimitsCounterStore:
    """This process's own counters: the embedded default and the fallback."""
    return LimitsCounterStore(MemoryStorage())


class FallbackCounterStore(CounterStore):
    """`primary` (Redis) while it answers; this process's `fallback` while it does not.

    Whether to try Redis is the `breaker`'s call: the process's one breaker for every Redis
    use (`RedisBreaker`), or one of its own. A failure opens it (one warning, `on_degraded`
    called); while open Redis is tried once per `retry_after` seconds (one request probes,
    the others use the fallback meanwhile), and the first answer closes it (`on_recovered`):
    limits are shared again. `degradations` counts the openings.
    """

    def __init__(
        self,
        primary: CounterStore,
        fallback: CounterStore,
        *,
        retry_after: float = RETRY_REDIS_AFTER_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
        breaker: RedisBreaker | None = None,
    ) -> None:
        self._primary = primary
        self._fallback = fallback
        self._breaker = breaker or RedisBreaker(retry_after=retry_after, monotonic=monotonic)
        # The breaker's own lists: a hook added here hears every Redis use's degradation.
        self.on_degraded: list[Hook] = self._breaker.on_opened
        self.on_recovered: list[Hook] = self._breaker.on_closed

    @property
    def degraded(self) -> bool:
        return self._breaker.open

    @property
    def degradations(self) -> int:
        return self._breaker.openings

    def hit(self, key: str, limit: int, window: int) -> Usage:
        if self._breaker.allow():
            try:
                usage = self._primary.hit(key, limit, window)
            except CounterStoreUnavailable as error:
                self._breaker.failed(error.message)
            else:
                self._breaker.succeeded()
                return usage
        return attrs.evolve(self._fallback.hit(key, limit, window), degraded=True)


def policy_from(settings: Settings) -> RateLimitPolicy:
    """The policy with the settings' overrides (`PRICING_RATE_LIMITS` and the windows)."""
    defaults = RateLimitPolicy()
    overrides = dict(settings.rate_limits)
    roles = {role: overrides.get(role.value, defaults.role_limits[role]) for role in Role}
    return RateLimitPolicy(
        role_limits=roles,
        anonymous_limit=overrides.get("anonymous", defaults.anonymous_limit),
        auth_limit=overrides.get("auth", defaults.auth_limit),
        window=settings.rate_limit_window,
        auth_window=settings.rate_limit_auth_window,
        enabled=settings.rate_limit_enabled,
    )


def build_rate_limiter(
    settings: Settings,
    clock: Clock,
    metrics: Metrics | None = None,
    *,
    redis_link: RedisLink | None = None,
    counters: CounterStore | None = None,
) -> RateLimiter:
    """Redis with a per-process fallback when `PRICING_REDIS_URL` is set, else memory
    (or `counters`, given).

    `redis_link` is the process's Redis pool and breaker, shared with the other Redis uses
    (a link of its own without it). `metrics` hears every decision, and each degradation
    and recovery of the store.
    """
    local = memory_counter_store()
    store: CounterStore = counters or local
    link = None if counters is not None else redis_link or connect_redis(settings)
    if link is not None:
        shared = linked_counter_store(link, prefix=settings.rate_limit_prefix)
        store = FallbackCounterStore(shared, local, breaker=link.breaker)
    if metrics is not None:
        store.on_degraded.append(lambda: metrics.limiter_degraded(True))
        store.on_recovered.append(lambda: metrics.limiter_degraded(False))
    return RateLimiter(policy=policy_from(settings), store=store, clock=clock, metrics=metrics)
