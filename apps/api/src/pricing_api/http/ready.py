"""GET /ready: readiness per dependency, public and never rate limited (access.md, Health).

PostgreSQL (or SQLite) down answers 503; Redis down answers 200 `degraded` (limits and
caches fall back to memory, and `rate_limits` says this process counts on its own), and so
does a broker that does not answer (jobs wait, queued, until it does); a broker or an LLM
key that is not configured is `not_configured`, not a failure. Each check runs in
a thread of its own and is given CHECK_TIMEOUT seconds, so a blackholed dependency cannot
hold the answer past a second; at most one check per dependency is in flight, so probes of a
hung one do not pile threads up. Nothing secret is shown: no URL, host, user or error
message, only states, latencies and error class names.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

import anyio.to_thread
import msgspec
import redis
from litestar import Response, get
from litestar.datastructures import CacheControlHeader
from sqlalchemy import Engine, text

from pricing_adapters.bootstrap import Container
from pricing_adapters.worker.broker import ping_broker
from pricing_api.http.documented import answer
from pricing_api.http.schemas import Services
from pricing_api.http.security import PUBLIC

__all__ = ["CHECK_TIMEOUT", "ReadyOut", "readiness", "ready"]

CHECK_TIMEOUT = 0.8  # seconds each check may take; the answer comes within about that
_SOCKET_TIMEOUT = 0.5  # Redis sockets give up before the check does
_lock = threading.Lock()
_in_flight: dict[tuple[str, int | str], Future[None]] = {}
_redis: dict[str, redis.Redis] = {}


class CheckOut(msgspec.Struct):
    """`ok`, `down` or `not_configured` (`rate_limits`: `ok`, `degraded` while counted per
    process for want of Redis, or `disabled`); `latency_ms` is null when nothing was timed."""

    state: str
    latency_ms: float | None
    detail: str | None = None
    backend: str | None = None


class ReadyOut(msgspec.Struct):
    """`ok`, `degraded` (an optional dependency is down: 200) or `down` (503)."""

    status: str
    checks: dict[str, CheckOut]


def _start(key: tuple[str, int | str], check: Callable[[], None]) -> Future[None]:
    """The check in flight for `key`, or a new one in its own daemon thread."""
    with _lock:
        running = _in_flight.get(key)
        if running is not None and not running.done():
            return running
        future: Future[None] = Future()
        _in_flight[key] = future

    def run() -> None:
        try:
            check()
        except BaseException as error:  # reported as the check's state, never raised
            future.set_exception(error)
        else:
            future.set_result(None)

    threading.Thread(target=run, name=f"ready-{key[0]}", daemon=True).start()
    return future


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


def _database(engine: Engine) -> Callable[[], None]:
    def check() -> None:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    return check


def _redis_ping(url: str) -> Callable[[], None]:
    def check() -> None:
        with _lock:
            client = _redis.get(url)
            if client is None:
                client = _redis[url] = redis.Redis.from_url(
                    url, socket_timeout=_SOCKET_TIMEOUT, socket_connect_timeout=_SOCKET_TIMEOUT
                )
        client.ping()

    return check


def _rate_limits(services: Container) -> dict[str, Any]:
    """Where the limits are counted: shared (Redis), or this process's own memory — by
    configuration, or as a fallback while Redis does not answer (`degraded`)."""
    if not services.settings.rate_limit_enabled:
        return {"state": "disabled", "latency_ms": None}
    if not services.settings.redis_url:
        return {"state": "ok", "latency_ms": None, "backend": "memory"}
    if services.rate_limiter.degraded:
        detail = "counted per process: the shared store does not answer"
        return {"state": "degraded", "latency_ms": None, "backend": "memory", "detail": detail}
    return {"state": "ok", "latency_ms": None, "backend": "redis"}


def readiness(services: Container) -> tuple[int, dict[str, Any]]:
    """(HTTP status, body): every check started at once, each waited for until the deadline."""
    settings = services.settings
    started = time.perf_counter()
    deadline = started + CHECK_TIMEOUT
    checks: dict[str, dict[str, Any]] = {}
    pending: dict[str, Future[None]] = {}
    engine = services.engine
    if engine is None:
        checks["database"] = {"state": "ok", "latency_ms": 0.0, "backend": "memory"}
    else:
        pending["database"] = _start(("database", id(engine)), _database(engine))
    if settings.redis_url:
        pending["redis"] = _start(("redis", settings.redis_url), _redis_ping(settings.redis_url))
    if settings.broker_url:
        url = settings.broker_url
        pending["broker"] = _start(("broker", url), lambda: ping_broker(url, _SOCKET_TIMEOUT))
    for name, future in pending.items():
        checks[name] = _outcome(future, started, deadline)
    if engine is not None:
        checks["database"]["backend"] = engine.dialect.name
    # No broker: jobs run in this process. No LLM key exists in the settings yet (the AI
    # issue adds it): access.md's readiness lists it, so it says so.
    for name in ("redis", "broker", "llm"):
        checks.setdefault(name, {"state": "not_configured", "latency_ms": None})
    checks["rate_limits"] = _rate_limits(services)
    if checks["database"]["state"] != "ok":
        return 503, {"status": "down", "checks": checks}
    degraded = any(c["state"] in {"down", "degraded"} for c in checks.values())
    return 200, {"status": "degraded" if degraded else "ok", "checks": checks}


@get(
    "/ready",
    opt=PUBLIC,
    tags=["operations"],
    summary="Readiness, per dependency",
    cache_control=CacheControlHeader(no_store=True),
    security=[{}],  # public: an empty requirement tells clients (and Schemathesis) so
    responses={
        **answer(200, ReadyOut, "Ready: `ok`, or `degraded` when an optional dependency is down."),
        **answer(503, ReadyOut, "Not ready: the database does not answer."),
    },
)
async def ready(services: Services) -> Response[dict[str, Any]]:
    """Answers within about a second whatever hangs; shows no URL, host or secret."""
    status, body = await anyio.to_thread.run_sync(readiness, services)
    return Response(body, status_code=status)
