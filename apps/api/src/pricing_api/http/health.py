"""Liveness: answers while the process serves, touching no dependency."""

from __future__ import annotations

from litestar import get

from pricing_api.http.security import PUBLIC

__all__ = ["health"]


@get("/health", opt=PUBLIC, tags=["operations"], summary="Liveness", sync_to_thread=False)
def health() -> dict[str, str]:
    """200 while the process serves; checks no dependency (see /ready for those)."""
    return {"status": "ok"}
