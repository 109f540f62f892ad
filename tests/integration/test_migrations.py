"""Alembic migrations on SQLite and PostgreSQL: from empty, step by step, down and up again.

Revisions are read from Alembic's script directory, so the stepping tests cover every
revision added later without edits; after any path to head the schema equals `tables.py`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from pricing_adapters.sql.engine import make_engine
from pricing_adapters.sql.migrate import (
    MIGRATIONS,
    current_revision,
    downgrade,
    head_revision,
    upgrade,
)
from pricing_adapters.sql.tables import metadata


def _script() -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config)


def revisions() -> list[tuple[str, str | None]]:
    """(revision, the one before it or None), from base to head along the one branch."""
    found = [(r.revision, r.down_revision) for r in reversed(list(_script().walk_revisions()))]
    assert all(isinstance(down, str | None) for _, down in found), "merge revisions"
    return found  # type: ignore[return-value]


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def differences(engine: Engine) -> list[object]:
    with engine.connect() as conn:
        return list(
            compare_metadata(
                MigrationContext.configure(conn, opts={"compare_type": True}), metadata
            )
        )


def tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def test_the_script_directory_has_one_head_that_migrate_knows() -> None:
    assert _script().get_heads() == [head_revision()]
    assert revisions()[0][1] is None
    assert revisions()[-1][0] == head_revision()


def test_upgrade_from_empty_to_head_builds_exactly_the_declared_schema(engine: Engine) -> None:
    assert current_revision(engine) is None
    assert tables(engine) == set()
    assert upgrade(engine) is True
    assert current_revision(engine) == head_revision()
    assert tables(engine) == set(metadata.tables) | {"alembic_version"}
    assert differences(engine) == []
    assert upgrade(engine) is False  # already at head: nothing runs
    assert current_revision(engine) == head_revision()


@pytest.mark.parametrize(("revision", "previous"), revisions())
def test_upgrade_from_the_previous_revision(
    engine: Engine, revision: str, previous: str | None
) -> None:
    if previous is not None:
        upgrade(engine, previous)
    assert current_revision(engine) == previous
    upgrade(engine, revision)
    assert current_revision(engine) == revision
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    assert differences(engine) == []


def test_step_up_one_revision_at_a_time_then_down_to_base_and_up_again(engine: Engine) -> None:
    steps = revisions()
    for revision, previous in steps:
        assert current_revision(engine) == previous
        upgrade(engine, revision)
        assert current_revision(engine) == revision
    assert differences(engine) == []
    for revision, previous in reversed(steps):
        assert current_revision(engine) == revision
        downgrade(engine, previous or "base")
        assert current_revision(engine) == previous
    assert tables(engine) <= {"alembic_version"}
    assert upgrade(engine) is True
    assert current_revision(engine) == head_revision()
    assert differences(engine) == []
