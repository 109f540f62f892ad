"""Readiness per dependency, for GET /ready (access.md, Health).

PostgreSQL (or SQLite) down answers 503; Redis down answers 200 `degraded` (limits and
caches fall back to memory, and `rate_limits` says this process counts on its own), and so
does a broker that does not answer (jobs wait, queued, until it does); a broker or an LLM
key that is not configured is `not_configured`, not a failure. Each check runs in
a thread of its own and is given CHECK_TIMEOUT seconds, so a blackholed dependency cannot
hold the answer past a second; at most one check per dependency is in flight, so probes of a
hung one do not pile threads up. Nothing secret is shown: no URL, host, user or error
message, only states, latencies and error class names.

`warnings` lists what is wrong without being down: on PostgreSQL, an application role that
could defeat the append-only audit log (a superuser, or the audit table's owner; see
docs/database-roles.md). The status stays `ok`: the service works, but is not hardened.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

import redis
from sqlalchemy import Engine, text

from pricing_adapters.settings import Settings
from pricing_adapters.sql.roles import privilege_warnings
from pricing_adapters.worker.broker import ping_broker
from pricing_core.ratelimit.service import RateLimiter

__all__ = ["CHECK_TIMEOUT", "Readiness"]

CHECK_TIMEOUT = 0.8  # seconds each check may take; the answer comes within about that
_SOCKET_TIMEOUT = 0.5  # Redis sockets give up before the check does


class Readiness:
    """The process's dependencies, checked on demand: `check()` is (HTTP status, body)."""

    def __init__(
        self, settings: Settings, engine: Engine | None, rate_limiter: RateLimiter
    ) -> None:
        self.settings = settings
        self.engine = engine
        self.rate_limiter = rate_limiter
        self._lock = threading.Lock()
        self._in_flight: dict[str, Future[None]] = {}
        self._redis: redis.Redis | None = None

    def check(self) -> tuple[int, dict[str, Any]]:
        """Every check started at once, each waited for until the deadline."""
        settings, engine = self.settings, self.engine
        started = time.perf_counter()
        deadline = started + CHECK_TIMEOUT
        checks: dict[str, dict[str, Any]] = {}
        pending: dict[str, Future[None]] = {}
        warnings: list[str] = []
        if engine is None:
            checks["database"] = {"state": "ok", "latency_ms": 0.0, "backend": "memory"}
        else:
            pending["database"] = self._start("database", self._database)
            pending["privileges"] = self._start(
                "privileges", lambda: warnings.extend(privilege_warnings(engine))
            )
        if settings.redis_url:
            url = settings.redis_url
            pending["redis"] = self._start("redis", lambda: self._redis_ping(url))
        if settings.broker_url:
            broker = settings.broker_url
            pending["broker"] = self._start("broker", lambda: ping_broker(broker, _SOCKET_TIMEOUT))
        privileges = pending.pop("privileges", None)
        for name, future in pending.items():
            checks[name] = _outcome(future, started, deadline)
        # A role check that failed or is late adds nothing: the database check says why.
        if privileges is None or _outcome(privileges, started, deadline)["state"] != "ok":
            warnings.clear()
        if engine is not None:
            checks["database"]["backend"] = engine.dialect.name
        checks.setdefault("redis", {"state": "not_configured", "latency_ms": None})
        # No broker: jobs run in this process. The settings name no LLM key; access.md's
        # readiness lists it, so it answers `not_configured`.
        for name in ("broker", "llm"):
            checks.setdefault(name, {"state": "not_configured", "latency_ms": None})
        checks["rate_limits"] = self._rate_limits()
        if checks["database"]["state"] != "ok":
            return 503, {"status": "down", "checks": checks, "warnings": list(warnings)}
        degraded = any(c["state"] in {"down", "degraded"} for c in checks.values())
        status = "degraded" if degraded else "ok"
        return 200, {"status": status, "checks": checks, "warnings": list(warnings)}

    def _start(self, name: str, check: Callable[[], None]) -> Future[None]:
        """The check in flight for `name`, or a new one in its own daemon thread."""
        with self._lock:
            running = self._in_flight.get(name)
            if running is not None and not running.done():
                return running
            future: Future[None] = Future()
            self._in_flight[name] = future

        def run() -> None:
            try:
                check()
            except BaseException as error:  # reported as the check's state, never raised
                future.set_exception(error)
            else:
                future.set_result(None)

        threading.Thread(target=run, name=f"ready-{name}", daemon=True).start()
        return future

    def _database(self) -> None:
        assert self.engine is not None
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    def _redis_ping(self, url: str) -> None:
        with self._lock:
            if self._redis is None:
                self._redis = redis.Redis.from_url(
                    url,
                    socket_timeout=_SOCKET_TIMEOUT,
                    socket_connect_timeout=_SOCKET_TIMEOUT,
                )
            client = self._redis
        client.ping()

    def _rate_limits(self) -> dict[str, Any]:
        """Where the limits are counted: shared (Redis), or this process's own memory — by
        configuration, or as a fallback while Redis does not answer (`degraded`)."""
        if not self.settings.rate_limit_enabled:
            return {"state": "disabled", "latency_ms": None}
        if not self.settings.redis_url:
            return {"state": "ok", "latency_ms": None, "backend": "memory"}
        if self.rate_limiter.degraded:
            detail = "counted per process: the shared store does not answer"
            return {"state": "degraded", "latency_ms": None, "backend": "memory", "detail": detail}
        return {"state": "ok", "latency_ms": None, "backend": "redis"}


def _outcome(future: Future[None], started: float, deadline: float) -> dict[str, Any]:
    try:
        future.result(timeout=max(0.0, deadline - time.perf_counter()))
    except FutureTimeout:
        detail = f"no answer within {CHECK_TIMEOUT * 1000:.0f} ms"
        return {"state": "down", "latency_ms": CHECK_TIMEOUT * 1000, "detail": detail}
    except Exception as error:
        elapsed = (time.perf_counter() - started) * 1000
        return {"state": "down", "latency_ms": round(elapsed, 2), "detail": type(error).__name__}
    return {"state": "ok", "latency_ms": round((time.perf_counter() - started) * 1000, 2)}
