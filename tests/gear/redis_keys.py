"""Redis for tests: a client that gives up quickly, and the removal of a test's keys."""

from __future__ import annotations

from typing import Any

__all__ = ["DEAD_REDIS_URL", "DEFAULT_REDIS_URL", "forget_keys", "redis_client"]

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
DEAD_REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1: refused at once


def redis_client(url: str) -> Any:
    """A client that gives up quickly, as the tests want from a dead server."""
    import redis

    return redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2)


def forget_keys(url: str, prefix: str) -> None:
    """Delete every key under `prefix`; a server the test stopped has nothing to clean."""
    import redis

    client = redis_client(url)
    try:
        keys = list(client.scan_iter(match=f"{prefix}*", count=500))
        if keys:
            client.delete(*keys)
    except redis.RedisError:
        pass
    finally:
        client.close()
