"""Alembic, driven from code: `pricing db upgrade` and first use of a new database."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

__all__ = ["current_revision", "head_revision", "upgrade"]

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
