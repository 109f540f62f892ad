"""GET /ready: readiness per dependency, public and never rate limited (access.md, Health).

The checks are the container's (`pricing_adapters.readiness`): PostgreSQL (or SQLite) down
answers 503, Redis down 200 `degraded`; the answer comes within about a second whatever
hangs, and shows no URL, host or secret. `warnings` lists what is wrong without being down:
on PostgreSQL, an application role that could defeat the append-only audit log (a superuser,
or the audit table's owner; see docs/database-roles.md).
"""

from __future__ import annotations

from typing import Any

import anyio.to_thread
import msgspec
from litestar import Response, get
from litestar.datastructures import CacheControlHeader

from pricing_api.http.documented import answer
from pricing_api.http.schemas import Services
from pricing_api.http.security import PUBLIC

__all__ = ["ReadyOut", "ready"]


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
    warnings: list[str] = msgspec.field(default_factory=list)


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
    status, body = await anyio.to_thread.run_sync(services.readiness.check)
    return Response(body, status_code=status)
