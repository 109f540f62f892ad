"""Revoked access tokens cached in Redis in front of the SQL store, which stays the truth."""

from __future__ import annotations

import contextlib
import logging
from datetime import datetime, timedelta

import redis

from pricing_adapters.redis_breaker import RedisBreaker
from pricing_adapters.sql.sessions import REVOCATION_MARGIN, SqlRevocationStore
from pricing_core.access.ports import RevocationStore
from pricing_core.errors import RevocationUnavailable

__all__ = ["RedisCachedRevocationStore"]

log = logging.getLogger(__name__)


def _ms(instant: datetime) -> int:
    return int(instant.timestamp() * 1000)


def _revoked_until(ends: bytes | str, now: datetime) -> bool:
    try:
        return int(ends) > _ms(now)
    except ValueError:
        return True  # a key we cannot read still says "revoked": fail closed


class RedisCachedRevocationStore(RevocationStore):
    """Reads Redis first; falls back to SQL when Redis fails; fails closed when both do.

    A missing key proves nothing by itself: Redis may have restarted empty, or a write may
    have failed while it was away. So Redis also holds a `complete` marker, written only
    after the cache was filled from SQL and lasting `trust_for`. Without the marker a miss
    is answered by SQL and the cache is refilled; a revocation whose Redis write failed is
    thus seen everywhere within `trust_for` even if Redis comes back without it.

    While the process's `breaker` is open (Redis failed, for this or another use) Redis is
    not called at all: revocations are read from and written to SQL alone.
    """

    def __init__(
        self,
        database: SqlRevocationStore,
        client: redis.Redis,
        *,
        prefix: str = "pricing:revoked:",
        trust_for: timedelta = timedelta(seconds=30),
        breaker: RedisBreaker | None = None,
    ) -> None:
        self._database = database
        self._client = client
        self._breaker = breaker or RedisBreaker()
        self._prefix = prefix
        self._complete = f"{prefix}complete"
        self._trust_ms = int(trust_for.total_seconds() * 1000)

    def _key(self, jti: str) -> str:
        return f"{self._prefix}jti:{jti}"

    def revoke(self, jti: str, until: datetime) -> None:
        # The value is when the revocation ends (exp plus the margin, as SQL keeps it), for
        # `is_revoked` to compare with its `now`; PXAT lets Redis drop the key then.
        ends = _ms(until + REVOCATION_MARGIN)
        if self._breaker.allow():
            try:
                self._client.set(self._key(jti), ends, pxat=ends)
            except redis.RedisError as error:
                self._breaker.failed(f"revocation cache: {type(error).__name__}")
                log.warning(
                    "revocation cache write failed (%s); SQL keeps it", type(error).__name__
                )
                with contextlib.suppress(redis.RedisError):
                    self._client.delete(self._complete)
            else:
                self._breaker.succeeded()
        self._database.revoke(jti, until)  # the truth: RevocationUnavailable if it fails

    def is_revoked(self, jti: str, now: datetime) -> bool:
        if not self._breaker.allow():
            return self._database.is_revoked(jti, now)
        try:
            pipe = self._client.pipeline(transaction=False)
            pipe.get(self._key(jti))
            pipe.exists(self._complete)
            ends, complete = pipe.execute()
        except redis.RedisError as error:
            self._breaker.failed(f"revocation cache: {type(error).__name__}")
            log.warning("revocation cache unavailable (%s); asking SQL", type(error).__name__)
            return self._database.is_revoked(jti, now)
        self._breaker.succeeded()
        if ends is not None and _revoked_until(ends, now):
            return True
        if complete:
            return False
        answer = self._database.is_revoked(jti, now)
        self.refill(now)
        return answer

    def refill(self, now: datetime) -> bool:
        """Copy every live revocation from SQL to Redis, then mark the cache complete.

        Best effort: returns False (and leaves the cache unmarked) if either store fails.
        """
        if not self._breaker.allow():
            return False
        try:
            live = self._database.live(now)
            pipe = self._client.pipeline(transaction=True)
            for jti, until in live:
                ends = _ms(until + REVOCATION_MARGIN)
                pipe.set(self._key(jti), ends, pxat=ends)
            pipe.set(self._complete, 1, px=self._trust_ms)
            pipe.execute()
        except redis.RedisError as error:
            self._breaker.failed(f"revocation cache: {type(error).__name__}")
            log.warning("revocation cache refill failed (%s)", type(error).__name__)
            return False
        except RevocationUnavailable as error:  # costs SQL reads only
            log.warning("revocation cache refill failed (%s)", type(error).__name__)
            return False
        self._breaker.succeeded()
        return True
