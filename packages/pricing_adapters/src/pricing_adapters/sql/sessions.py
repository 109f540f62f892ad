"""Refresh token families and revoked access tokens on SQL (the truth for revocations)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Row, bindparam, case, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError

from pricing_adapters.sql.engine import for_reads
from pricing_adapters.sql.tables import refresh_tokens, revoked_tokens
from pricing_adapters.sql.unit_of_work import SqlUnitOfWork
from pricing_core.access.model import RefreshRecord
from pricing_core.access.ports import RefreshTokenStore, RevocationStore
from pricing_core.access.tokens import REVOCATION_MARGIN
from pricing_core.errors import RevocationUnavailable

__all__ = ["REVOCATION_MARGIN", "SqlRefreshTokenStore", "SqlRevocationStore"]

# Built once: it runs on every authenticated request.
IS_REVOKED = select(revoked_tokens.c.jti).where(
    revoked_tokens.c.jti == bindparam("jti"),
    revoked_tokens.c.expires_at > bindparam("after", type_=revoked_tokens.c.expires_at.type),
)


def _record(row: Row[Any]) -> RefreshRecord:
    return RefreshRecord(
        id=row.id,
        user_id=row.user_id,
        family_id=row.family_id,
        token_hash=row.token_hash,
        created_at=row.created_at,
        expires_at=row.expires_at,
        family_expires_at=row.family_expires_at,
        used_at=row.used_at,
        revoked_at=row.revoked_at,
        parent_id=row.parent_id,
    )


class SqlRefreshTokenStore(RefreshTokenStore):
    """Refresh tokens by hash; `use` is one conditional UPDATE, so one caller wins a race.
    Writes join the unit of work `uow`'s open transaction (ending sessions with a change)."""

    def __init__(self, engine: Engine, uow: SqlUnitOfWork | None = None) -> None:
        self._db = uow or SqlUnitOfWork(engine)

    def add(self, record: RefreshRecord) -> None:
        with self._db.begin() as conn:
            conn.execute(
                refresh_tokens.insert().values(
                    id=record.id,
                    user_id=record.user_id,
                    family_id=record.family_id,
                    token_hash=record.token_hash,
                    created_at=record.created_at,
                    expires_at=record.expires_at,
                    family_expires_at=record.family_expires_at,
                    used_at=record.used_at,
                    revoked_at=record.revoked_at,
                    parent_id=record.parent_id,
                )
            )

    def by_hash(self, token_hash: str) -> RefreshRecord | None:
        query = select(refresh_tokens).where(refresh_tokens.c.token_hash == token_hash)
        with self._db.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else _record(row)

    def use(self, record_id: str, now: datetime) -> bool:
        # Concurrent callers queue on the row lock (PostgreSQL) or the write lock (SQLite);
        # the later ones re-check `used_at IS NULL` against the committed row and match 0.
        statement = (
            refresh_tokens.update()
            .where(
                refresh_tokens.c.id == record_id,
                refresh_tokens.c.used_at.is_(None),
                refresh_tokens.c.revoked_at.is_(None),
            )
            .values(used_at=now)
        )
        with self._db.begin() as conn:
            return conn.execute(statement).rowcount == 1

    def successor(self, record_id: str) -> RefreshRecord | None:
        query = select(refresh_tokens).where(refresh_tokens.c.parent_id == record_id)
        with self._db.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else _record(row)

    def _revoke(self, condition: Any, now: datetime) -> None:
        statement = (
            refresh_tokens.update()
            .where(condition, refresh_tokens.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        with self._db.begin() as conn:
            conn.execute(statement)

    def revoke_family(self, family_id: str, now: datetime) -> None:
        self._revoke(refresh_tokens.c.family_id == family_id, now)

    def revoke_user(self, user_id: str, now: datetime) -> None:
        self._revoke(refresh_tokens.c.user_id == user_id, now)


class SqlRevocationStore(RevocationStore):
    """Revoked access token ids until their expiry (plus REVOCATION_MARGIN).

    Any database error raises RevocationUnavailable: the caller refuses the request rather
    than accept a token it could not check (checklist 16).
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._reads = for_reads(engine)

    def revoke(self, jti: str, until: datetime) -> None:
        dialect_insert = pg_insert if self._engine.dialect.name == "postgresql" else sqlite_insert
        statement = dialect_insert(revoked_tokens).values(jti=jti, expires_at=until)
        later = case(
            (
                statement.excluded.expires_at > revoked_tokens.c.expires_at,
                statement.excluded.expires_at,
            ),
            else_=revoked_tokens.c.expires_at,
        )
        statement = statement.on_conflict_do_update(
            index_elements=["jti"], set_={"expires_at": later}
        )
        try:
            with self._engine.begin() as conn:
                conn.execute(statement)
        except SQLAlchemyError as error:
            raise RevocationUnavailable(
                f"cannot record the revocation: {type(error).__name__}"
            ) from error

    def is_revoked(self, jti: str, now: datetime) -> bool:
        values = {"jti": jti, "after": now - REVOCATION_MARGIN}
        try:
            with self._reads.connect() as conn:
                return conn.execute(IS_REVOKED, values).first() is not None
        except SQLAlchemyError as error:
            raise RevocationUnavailable(
                f"cannot check revocations: {type(error).__name__}"
            ) from error

    def live(self, now: datetime) -> list[tuple[str, datetime]]:
        """Every revocation still in force at `now`: (jti, token expiry). Few rows: access
        tokens live minutes, so only the recent logouts are here."""
        query = select(revoked_tokens).where(revoked_tokens.c.expires_at > now - REVOCATION_MARGIN)
        try:
            with self._engine.connect() as conn:
                return [(r.jti, r.expires_at) for r in conn.execute(query).all()]
        except SQLAlchemyError as error:
            raise RevocationUnavailable(
                f"cannot read revocations: {type(error).__name__}"
            ) from error

    def purge(self, now: datetime) -> int:
        """Delete revocations whose tokens can no longer verify; returns how many went."""
        cutoff = now - REVOCATION_MARGIN
        statement = delete(revoked_tokens).where(revoked_tokens.c.expires_at <= cutoff)
        with self._engine.begin() as conn:
            return conn.execute(statement).rowcount
