"""Insert-or-update for small reference tables, the same call on PostgreSQL and SQLite."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

__all__ = ["upsert"]


def upsert(
    conn: Connection,
    table: Table,
    rows: Sequence[dict[str, Any]],
    key: Sequence[str],
    keep: Sequence[str] = (),
) -> None:
    """Insert rows; a row whose key exists replaces the stored values but those in `keep`."""
    if not rows:
        return
    dialect_insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    statement = dialect_insert(table)
    changed = {c: statement.excluded[c] for c in rows[0] if c not in key and c not in keep}
    conn.execute(
        statement.on_conflict_do_update(index_elements=list(key), set_=changed), list(rows)
    )
