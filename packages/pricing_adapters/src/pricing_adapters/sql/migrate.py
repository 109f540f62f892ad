"""Alembic, driven from code: `pricing db upgrade` and first use of a new database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from pricing_adapters.sql.engine import make_engine

__all__ = ["current_revision", "head_revision", "migrating", "upgrade"]

MIGRATIONS = Path(__file__).with_name("migrations")


def _config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config_without_engine()).get_current_head()
    return head or ""


def _config_without_engine() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> bool:
    """Migrate to `revision`; returns whether anything ran."""
    if revision == "head" and current_revision(engine) == head_revision():
        return False
    command.upgrade(_config(engine), revision)
    return True


def downgrade(engine: Engine, revision: str) -> None:
    command.downgrade(_config(engine), revision)


@contextmanager
def migrating(engine: Engine, migration_url: str | None) -> Iterator[Engine]:
    """The engine migrations run on: `migration_url`'s (PRICING_MIGRATION_DATABASE_URL, the
    schema's owner when the application runs as a role that may not alter it), else
    `engine` itself. A separate engine is closed afterwards."""
    if not migration_url:
        yield engine
        return
    owner = make_engine(migration_url)
    try:
        yield owner
    finally:
        owner.dispose()
