"""Login failures counted in Redis: one sorted set per key, a sliding window, MULTI/EXEC."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import redis

from pricing_adapters.redis_breaker import RedisBreaker
from pricing_core.access.ports import FailureCounter
from pricing_core.errors import CounterStoreUnavailable

__all__ = ["FallbackFailureCounter", "RedisFailureCounter"]

T = TypeVar("T")


def _ms(instant: datetime) -> int:
    return int(instant.timestamp() * 1000)


class RedisFailureCounter(FailureCounter):
    """Each failure is a member scored by its time in ms; members older than `window` are
    trimmed inside the same MULTI/EXEC as the read or write, so every API process sees one
    count. `window` must equal the throttle policy's window.

    Keys are hashed: they hold an email or an address as typed, which need not sit in Redis
    in clear, and whose length the client chooses. Redis errors raise
    CounterStoreUnavailable for the use case's policy to handle, and so does every call
    while the process's `breaker` is open: nobody waits on a Redis known not to answer.
    """

    def __init__(
        self,
        client: redis.Redis,
        *,
        window: timedelta = timedelta(minutes=15),
        prefix: str = "pricing:failures:",
        breaker: RedisBreaker | None = None,
    ) -> None:
        if window <= timedelta(0):
            raise ValueError(f"window must be positive, got {window}")
        self._client = client
        self._window_ms = int(window.total_seconds() * 1000)
        self._window = timedelta(milliseconds=self._window_ms)
        self._prefix = prefix
        self._breaker = breaker or RedisBreaker()

    def _call(self, run: Callable[[], T]) -> T:
        """`run` against Redis through the breaker; CounterStoreUnavailable if it is open or
        Redis fails."""
        if not self._breaker.allow():
            raise CounterStoreUnavailable("failure counter: Redis is not answering (breaker open)")
        try:
            answer = run()
        except redis.RedisError as error:
            reason = f"failure counter: {type(error).__name__}"
            self._breaker.failed(reason)
            raise CounterStoreUnavailable(reason) from error
        self._breaker.succeeded()
        return answer

    def _key(self, key: str) -> str:
        return self._prefix + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()

    def failures(self, key: str, now: datetime) -> tuple[int, datetime | None]:
        name = self._key(key)

        def read() -> list[Any]:
            pipe = self._client.pipeline(transaction=True)
            pipe.zremrangebyscore(name, "-inf", _ms(now) - self._window_ms)
            pipe.zcard(name)
            pipe.zrange(name, 0, 0, withscores=True)
            found: list[Any] = pipe.execute()
            return found

        _, count, oldest = self._call(read)
        if not count:
            return 0, None
        oldest_at = datetime.fromtimestamp(oldest[0][1] / 1000, UTC)
        return int(count), oldest_at + self._window

    def add_failure(self, key: str, now: datetime) -> None:
        name = self._key(key)
        stamp = _ms(now)

        def write() -> None:
            pipe = self._client.pipeline(transaction=True)
            pipe.zremrangebyscore(name, "-inf", stamp - self._window_ms)
            # A random suffix keeps two failures in the same millisecond apart.
            pipe.zadd(name, {f"{stamp}:{secrets.token_hex(6)}": stamp})
            # Relative expiry (Redis's clock): the set goes once its newest failure is old.
            pipe.pexpire(name, self._window_ms)
            pipe.execute()

        self._call(write)

    def clear(self, key: str) -> None:
        self._call(lambda: self._client.delete(self._key(key)))


class FallbackFailureCounter(FailureCounter):
    """Redis while it answers, this process's memory while it does not (access.md: limits
    fall back to each process's own counter); login stays throttled either way."""

    def __init__(self, primary: FailureCounter, fallback: FailureCounter) -> None:
        self._primary = primary
        self._fallback = fallback

    def failures(self, key: str, now: datetime) -> tuple[int, datetime | None]:
        try:
            return self._primary.failures(key, now)
        except CounterStoreUnavailable:
            return self._fallback.failures(key, now)

    def add_failure(self, key: str, now: datetime) -> None:
        try:
            self._primary.add_failure(key, now)
        except CounterStoreUnavailable:
            self._fallback.add_failure(key, now)

    def clear(self, key: str) -> None:
        self._fallback.clear(key)
        try:
            self._primary.clear(key)
        except CounterStoreUnavailable:
            return
