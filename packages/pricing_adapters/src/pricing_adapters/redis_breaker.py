"""One circuit breaker for every use of Redis in a process: rate limits, the revocation cache
and the login failure counters.

A Redis that accepts connections and never answers costs each call its full timeout. Were
each use to find that out alone, every request would pay it once per use; with one breaker
the first failures open it for all of them, and until it closes nobody waits on Redis:
limits and failure counts are kept in this process's memory, revocations are read from the
database. While open, one caller per `retry_after` seconds probes Redis; its first answer
closes the breaker for everyone.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

__all__ = ["RedisBreaker"]

log = logging.getLogger("pricing_adapters.redis")

Hook = Callable[[], None]


class RedisBreaker:
    """Opens after `failures_to_open` failures in a row; `open` is what /ready and the rate
    limiter call degraded. `on_opened` and `on_closed` hooks are called on each change
    (metrics); `openings` counts the changes to open."""

    def __init__(
        self,
        *,
        failures_to_open: int = 1,
        retry_after: float = 5.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if failures_to_open < 1:
            raise ValueError(f"failures_to_open must be at least 1, got {failures_to_open}")
        self._threshold = failures_to_open
        self._retry_after = retry_after
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._failures = 0
        self._open = False
        self._retry_at = 0.0
        self.openings = 0
        self.on_opened: list[Hook] = []
        self.on_closed: list[Hook] = []

    @property
    def open(self) -> bool:
        return self._open

    def allow(self) -> bool:
        """Whether to call Redis now: always while closed; while open, for the one caller
        that probes once the back-off is over (the others go on without Redis)."""
        with self._lock:
            if not self._open:
                return True
            now = self._monotonic()
            if now < self._retry_at:
                return False
            self._retry_at = now + self._retry_after
            return True

    def failed(self, reason: str) -> None:
        """A call to Redis failed (an error or a timeout); `reason` names it for the log."""
        with self._lock:
            self._failures += 1
            self._retry_at = self._monotonic() + self._retry_after
            if self._open or self._failures < self._threshold:
                return
            self._open = True
            self.openings += 1
        log.warning(
            "Redis does not answer (%s): rate limits and login failures are counted per "
            "process and revocations read from the database; rate limiter degraded, trying "
            "Redis again every %.0f s",
            reason,
            self._retry_after,
        )
        _call(self.on_opened)

    def succeeded(self) -> None:
        """A call to Redis answered: the failures in a row end, and an open breaker closes."""
        # Unlocked first look: the common case, Redis answering all along, takes no lock.
        if not (self._failures or self._open):
            return
        with self._lock:
            closed, self._open, self._failures = self._open, False, 0
        if closed:
            log.warning("Redis answers again: rate limiter recovered, counts are shared again")
            _call(self.on_closed)


def _call(hooks: list[Hook]) -> None:
    for hook in list(hooks):
        try:
            hook()
        except Exception:  # a metrics hook must not break requests
            log.exception("Redis breaker hook %r failed", hook)
