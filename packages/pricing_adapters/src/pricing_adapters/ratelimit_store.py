"""Counter stores on the `limits` library's moving window (Redis or memory), and a store that
falls back to this process's memory while Redis is down."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

import attrs
import redis
from limits import RateLimitItemPerSecond
from limits.storage import MemoryStorage, RedisStorage, Storage
from limits.strategies import MovingWindowRateLimiter
from redis.backoff import NoBackoff
from redis.retry import Retry

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
    "memory_counter_store",
    "policy_from",
    "redis_counter_store",
]

log = logging.getLogger("pricing_adapters.ratelimit")

# A hung Redis must not hold requests: give up fast, retry once at once (a pooled connection
# that a Redis restart killed), then fall back.
REDIS_TIMEOUT_SECONDS = 0.3
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
        retry=Retry(NoBackoff(), 1),
    )
    return LimitsCounterStore(RedisStorage(url, connection_pool=pool, key_prefix=prefix))


def memory_counter_store() -> LimitsCounterStore:
    """This process's own counters: the embedded default and the fallback."""
    return LimitsCounterStore(MemoryStorage())


class FallbackCounterStore(CounterStore):
    """`primary` (Redis) while it answers; this process's `fallback` while it does not.

    The first failure flags the store degraded, logs one warning and calls `on_degraded`;
    during a degradation Redis is tried again once per `retry_after` seconds (one request
    probes, the others use the fallback meanwhile), and the first answer clears the flag,
    logs and calls `on_recovered`: limits are shared again. `degradations` counts them.
    """

    def __init__(
        self,
        primary: CounterStore,
        fallback: CounterStore,
        *,
        retry_after: float = RETRY_REDIS_AFTER_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._primary = primary
        self._fallback = fallback
        self._retry_after = retry_after
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._degraded = False
        self._retry_at = 0.0
        self.degradations = 0
        self.on_degraded: list[Hook] = []
        self.on_recovered: list[Hook] = []

    @property
    def degraded(self) -> bool:
        return self._degraded

    def hit(self, key: str, limit: int, window: int) -> Usage:
        if self._try_primary():
            try:
                usage = self._primary.hit(key, limit, window)
            except CounterStoreUnavailable as error:
                self._failed(error)
            else:
                self._answered()
                return usage
        return attrs.evolve(self._fallback.hit(key, limit, window), degraded=True)

    def _try_primary(self) -> bool:
        with self._lock:
            if not self._degraded:
                return True
            now = self._monotonic()
            if now < self._retry_at:
                return False
            self._retry_at = now + self._retry_after  # this caller probes; others wait
            return True

    def _failed(self, error: CounterStoreUnavailable) -> None:
        with self._lock:
            self._retry_at = self._monotonic() + self._retry_after
            if self._degraded:
                return
            self._degraded = True
            self.degradations += 1
        log.warning(
            "rate limiter degraded: the shared counter store did not answer (%s); each "
            "process now counts on its own, trying the store again every %.0f s",
            error.message,
            self._retry_after,
        )
        _call(self.on_degraded)

    def _answered(self) -> None:
        # Unlocked first look: the common case, Redis answering all along, takes no lock.
        if self._degraded and self._end_degradation():
            log.warning("rate limiter recovered: the shared counter store answers again")
            _call(self.on_recovered)

    def _end_degradation(self) -> bool:
        """True for the one caller that ends it, when several answer at once."""
        with self._lock:
            ended, self._degraded = self._degraded, False
        return ended


def _call(hooks: list[Hook]) -> None:
    for hook in list(hooks):
        try:
            hook()
        except Exception:  # a metrics hook must not break rate limiting
            log.exception("rate limiter hook %r failed", hook)


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
    counters: CounterStore | None = None,
) -> RateLimiter:
    """Redis with a per-process fallback when `PRICING_REDIS_URL` is set, else memory
    (or `counters`, given).

    `metrics` hears every decision, and each degradation and recovery of the store.
    """
    local = memory_counter_store()
    store: CounterStore = counters or local
    if counters is None and settings.redis_url:
        shared = redis_counter_store(settings.redis_url, prefix=settings.rate_limit_prefix)
        store = FallbackCounterStore(shared, local)
    if metrics is not None:
        store.on_degraded.append(lambda: metrics.limiter_degraded(True))
        store.on_recovered.append(lambda: metrics.limiter_degraded(False))
    return RateLimiter(policy=policy_from(settings), store=store, clock=clock, metrics=metrics)
