"""Deleting session rows that can no longer matter (the housekeeping job's SQL sweeps)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, delete

from pricing_adapters.sql.tables import refresh_tokens

__all__ = ["purge_refresh_tokens"]


def purge_refresh_tokens(engine: Engine, now: datetime) -> int:
    """Delete refresh tokens whose whole family has expired; how many went.

    A used or revoked token of a live family is kept: presenting it again is what reveals
    a stolen token (reuse revokes the family), so it must be found while the family lives.
    """
    statement = delete(refresh_tokens).where(refresh_tokens.c.family_expires_at <= now)
    with engine.begin() as conn:
        return conn.execute(statement).rowcount
