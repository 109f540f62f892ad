"""Users and API keys on SQL: case-insensitive unique emails, keys found by their hash."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Row, bindparam, func, select
from sqlalchemy.exc import IntegrityError

from pricing_adapters.sql.tables import api_keys, users
from pricing_adapters.sql.unit_of_work import SqlUnitOfWork
from pricing_core.access.model import ApiKey, User, normalise_email
from pricing_core.access.ports import ApiKeyStore, UserStore
from pricing_core.errors import Conflict, EmailTaken, NotFound

__all__ = ["SqlApiKeyStore", "SqlUserStore", "violates"]

# Built once: every authenticated request looks its user up, and building and keying a
# statement cost more than running it.
USER_BY_ID = select(users).where(users.c.id == bindparam("id"))
USER_BY_EMAIL = select(users).where(users.c.email == bindparam("email"))
# Every request with an API key looks its key up by hash.
KEY_BY_HASH = select(api_keys).where(api_keys.c.key_hash == bindparam("hash"))
KEY_BY_ID = select(api_keys).where(api_keys.c.id == bindparam("id"))


def violates(error: IntegrityError, constraint: str, column: str) -> bool:
    """Whether a unique violation is on `constraint` (PostgreSQL names it; SQLite says
    `UNIQUE constraint failed: table.column`)."""
    diag = getattr(error.orig, "diag", None)
    name = getattr(diag, "constraint_name", None)
    return name == constraint if name is not None else column in str(error.orig)


def _user_values(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "email": normalise_email(user.email),
        "name": user.name,
        "role": user.role.value,
        "active": user.active,
        "password_hash": user.password_hash,
        "created_at": user.created_at,
        "sessions_valid_after": user.sessions_valid_after,
        "one_time_password_expires_at": user.one_time_password_expires_at,
    }


def _user(row: Row[Any]) -> User:
    return User(
        id=row.id,
        email=row.email,
        name=row.name,
        role=row.role,
        active=bool(row.active),
        password_hash=row.password_hash,
        created_at=row.created_at,
        sessions_valid_after=row.sessions_valid_after,
        one_time_password_expires_at=row.one_time_password_expires_at,
    )


class SqlUserStore(UserStore):
    """Emails are stored lower-cased, so the unique constraint makes them case-insensitive.

    Writes join the unit of work `uow`'s open transaction (a private one when not given).
    """

    def __init__(self, engine: Engine, uow: SqlUnitOfWork | None = None) -> None:
        self._db = uow or SqlUnitOfWork(engine)

    def _write(self, statement: Any) -> int:
        try:
            with self._db.begin() as conn:
                return conn.execute(statement).rowcount
        except IntegrityError as error:
            if violates(error, "uq_users_email", "users.email"):
                raise EmailTaken() from None
            raise

    def add(self, user: User) -> None:
        self._write(users.insert().values(_user_values(user)))

    def get(self, user_id: str) -> User | None:
        return self._one(USER_BY_ID, {"id": user_id})

    def by_email(self, email: str) -> User | None:
        return self._one(USER_BY_EMAIL, {"email": normalise_email(email)})

    def _one(self, query: Any, values: dict[str, str]) -> User | None:
        with self._db.read() as conn:
            row = conn.execute(query, values).first()
        return None if row is None else _user(row)

    def save(self, user: User) -> None:
        values = _user_values(user)
        del values["id"]
        if self._write(users.update().where(users.c.id == user.id).values(values)) != 1:
            raise NotFound("no such user", user_id=user.id)

    def list(self, offset: int, limit: int) -> tuple[Sequence[User], int]:
        page = select(users).order_by(users.c.created_at, users.c.id).offset(offset).limit(limit)
        with self._db.connect() as conn:
            total = conn.execute(select(func.count()).select_from(users)).scalar_one()
            rows = conn.execute(page).all()
        return [_user(r) for r in rows], total


def _key_values(key: ApiKey) -> dict[str, Any]:
    return {
        "id": key.id,
        "name": key.name,
        "role": key.role.value,
        "key_hash": key.key_hash,
        "prefix": key.prefix,
        "created_by": key.created_by,
        "created_at": key.created_at,
        "last_used_at": key.last_used_at,
        "revoked_at": key.revoked_at,
    }


def _key(row: Row[Any]) -> ApiKey:
    return ApiKey(
        id=row.id,
        name=row.name,
        role=row.role,
        key_hash=row.key_hash,
        prefix=row.prefix,
        created_by=row.created_by,
        created_at=row.created_at,
        last_used_at=row.last_used_at,
        revoked_at=row.revoked_at,
    )


class SqlApiKeyStore(ApiKeyStore):
    """API keys, stored only as a hash of the key; `list` is in creation order. Writes join
    the unit of work `uow`'s open transaction."""

    def __init__(self, engine: Engine, uow: SqlUnitOfWork | None = None) -> None:
        self._db = uow or SqlUnitOfWork(engine)

    def add(self, key: ApiKey) -> None:
        try:
            with self._db.begin() as conn:
                conn.execute(api_keys.insert().values(_key_values(key)))
        except IntegrityError:
            raise Conflict("an API key with this id or hash exists", api_key_id=key.id) from None

    def by_hash(self, key_hash: str) -> ApiKey | None:
        return self._one(KEY_BY_HASH, {"hash": key_hash})

    def get(self, key_id: str) -> ApiKey | None:
        return self._one(KEY_BY_ID, {"id": key_id})

    def _one(self, query: Any, values: dict[str, str]) -> ApiKey | None:
        with self._db.read() as conn:
            row = conn.execute(query, values).first()
        return None if row is None else _key(row)

    def list(self) -> Sequence[ApiKey]:
        query = select(api_keys).order_by(api_keys.c.created_at, api_keys.c.id)
        with self._db.connect() as conn:
            return [_key(r) for r in conn.execute(query).all()]

    def save(self, key: ApiKey) -> None:
        values = _key_values(key)
        del values["id"]
        with self._db.begin() as conn:
            changed = conn.execute(
                api_keys.update().where(api_keys.c.id == key.id).values(values)
            ).rowcount
        if changed != 1:
            raise NotFound("no such API key", api_key_id=key.id)

    def mark_used(self, key_id: str, at: datetime) -> None:
        """Record a use: one column, so concurrent requests never undo a revocation."""
        with self._db.begin() as conn:
            conn.execute(api_keys.update().where(api_keys.c.id == key_id).values(last_used_at=at))
