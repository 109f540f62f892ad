"""The database schema of a container: its revision, and migrating to the newest one."""

from __future__ import annotations

import attrs
from sqlalchemy import Engine

from pricing_adapters.bootstrap import Container
from pricing_adapters.sql.migrate import current_revision, head_revision, upgrade

__all__ = ["Schema", "schema_of"]


@attrs.frozen
class Schema:
    engine: Engine

    def current(self) -> str | None:
        return current_revision(self.engine)

    def head(self) -> str:
        return head_revision()

    def upgrade(self) -> bool:
        """Migrate to the newest revision; whether anything ran."""
        return upgrade(self.engine)


def schema_of(container: Container) -> Schema | None:
    """The container's database schema; None on memory://."""
    return None if container.engine is None else Schema(container.engine)
