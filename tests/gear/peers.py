"""Requests to an in-process app from a chosen peer address (Litestar's TestClient always
says "testclient"), for the rules that depend on who is calling: trusted proxies, networks."""

from __future__ import annotations

from typing import Any

import anyio
import httpx
from litestar import Litestar

__all__ = ["call_from"]


def call_from(app: Litestar, peer: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
    async def call() -> httpx.Response:
        # Litestar types its ASGI callable with its own scope and event types, narrower than
        # httpx's generic ones; it is an ASGI app all the same.
        transport = httpx.ASGITransport(app=app, client=(peer, 50000))  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return await client.request(method, path, **kwargs)

    return anyio.run(call)
