"""The database's failures as the apps tell them apart, without naming SQLAlchemy."""

from __future__ import annotations

from sqlalchemy.exc import DataError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

__all__ = ["DATABASE_DOWN", "VALUE_REFUSED", "refused_value_kind"]

# Connection-level failures (a server that does not answer, a full pool): worth a retry.
DATABASE_DOWN: tuple[type[Exception], ...] = (OperationalError, InterfaceError, PoolTimeout)
# The database refused a value (PostgreSQL keeps no NUL in text, numbers have ranges).
VALUE_REFUSED: tuple[type[Exception], ...] = (DataError,)


def refused_value_kind(error: Exception) -> str:
    """The driver's name for a refused value's error, never its message (it quotes values)."""
    return type(getattr(error, "orig", error)).__name__
