"""Per-table row counts and ordered checksums: what a backup's manifest promises."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, inspect, text

from pricing_core.backups.model import TableFigures

__all__ = ["table_figures"]

FIELD = "\x1f"  # unit separator: cannot occur in a value we store unescaped
NULL = "\\N"


def _value(value: Any) -> str:
    if value is None:
        return NULL
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).replace("\\", "\\\\").replace(FIELD, "\\x1f").replace("\n", "\\n")


def _quoted(connection: Connection, name: str) -> str:
    return connection.dialect.identifier_preparer.quote(name)


def table_figures(connection: Connection) -> dict[str, TableFigures]:
    """Every table of the connection's schema: its row count and the SHA-256 of its rows in
    primary-key order (all columns when it has none), values as the database returns them."""
    inspector = inspect(connection)
    found: dict[str, TableFigures] = {}
    for name in sorted(inspector.get_table_names()):
        columns = [c["name"] for c in inspector.get_columns(name)]
        keys = inspector.get_pk_constraint(name).get("constrained_columns") or columns
        order = ", ".join(_quoted(connection, c) for c in keys)
        listed = ", ".join(_quoted(connection, c) for c in columns)
        digest = hashlib.sha256()
        rows = 0
        result = connection.execution_options(stream_results=True, yield_per=5000).execute(
            text(f"SELECT {listed} FROM {_quoted(connection, name)} ORDER BY {order}")  # noqa: S608 - names come from the database's own catalogue
        )
        for row in result:
            digest.update(FIELD.join(_value(v) for v in row).encode())
            digest.update(b"\n")
            rows += 1
        found[name] = TableFigures(rows=rows, checksum=digest.hexdigest())
    return found
