"""Alembic environment: runs on the engine handed over by pricing_adapters.sql.migrate."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from pricing_adapters.sql.tables import metadata

engine: Engine = context.config.attributes["engine"]

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite alters tables by copying them; batch mode does that for us.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    context.run_migrations()
