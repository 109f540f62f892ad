"""The process's one Redis connection pool and circuit breaker, shared by every Redis use."""

from __future__ import annotations

import attrs
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from pricing_adapters.redis_breaker import RedisBreaker
from pricing_adapters.settings import Settings

__all__ = ["RedisLink", "connect_redis"]


@attrs.frozen(kw_only=True)
class RedisLink:
    """A client on the shared pool, its breaker, and the key names under the settings' prefix."""

    url: str
    client: redis.Redis
    breaker: RedisBreaker
    prefix: str

    @property
    def pool(self) -> redis.ConnectionPool:
        pool: redis.ConnectionPool = self.client.connection_pool
        return pool

    @property
    def failures_prefix(self) -> str:
        return f"{self.prefix}:failures:"

    @property
    def revoked_prefix(self) -> str:
        return f"{self.prefix}:revoked:"


def connect_redis(settings: Settings) -> RedisLink | None:
    """The link for `PRICING_REDIS_URL`, or None without it. Connects on first use, not here.

    Timeouts are short (`PRICING_REDIS_TIMEOUT_MS`): an answer from Redis takes well under a
    millisecond, so a wait of 100 ms already means it is not answering. A dropped connection
    (a Redis restart kills the pooled ones) is retried once at once; a timeout is not, since
    waiting twice on a hung server helps nobody.
    """
    if not settings.redis_url:
        return None
    timeout = settings.redis_timeout_ms / 1000
    pool = redis.ConnectionPool.from_url(
        settings.redis_url,
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
        retry=Retry(NoBackoff(), 1, supported_errors=(redis.ConnectionError,)),
    )
    return RedisLink(
        url=settings.redis_url,
        client=redis.Redis(connection_pool=pool),
        breaker=RedisBreaker(retry_after=settings.redis_retry_seconds),
        prefix=settings.redis_prefix,
    )
