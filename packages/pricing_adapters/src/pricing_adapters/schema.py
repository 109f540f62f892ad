"""The database schema of a container: its revision, migrating it, and its PostgreSQL roles."""

from __future__ import annotations

import attrs
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from pricing_adapters.bootstrap import Container
from pricing_adapters.sql.migrate import current_revision, head_revision, migrating, upgrade
from pricing_adapters.sql.roles import RoleSetup, role_url, setup_roles

__all__ = ["RoleSetup", "Schema", "schema_of"]


@attrs.frozen
class Schema:
    engine: Engine
    # PRICING_MIGRATION_DATABASE_URL: the schema owner's connection, when the application
    # runs as a role that may not alter the schema.
    migration_url: str | None = None
    database_url: str = ""

    def current(self) -> str | None:
        return current_revision(self.engine)

    def head(self) -> str:
        return head_revision()

    def upgrade(self) -> bool:
        """Migrate to the newest revision, as the owner when one is configured."""
        with migrating(self.engine, self.migration_url) as engine:
            return upgrade(engine)

    def setup_roles(self, *, owner: str, runtime: str, set_passwords: bool) -> RoleSetup:
        """`sql.roles.setup_roles` on the owner's (or superuser's) connection; ValueError
        names what cannot be done (SQLite, equal names, a bad role name)."""
        with migrating(self.engine, self.migration_url) as engine:
            return setup_roles(engine, owner=owner, runtime=runtime, set_passwords=set_passwords)

    def role_urls(self, done: RoleSetup, *, owner: str, runtime: str) -> dict[str, str]:
        """The two settings for the application, with passwords only when just set."""
        admin = self.migration_url or self.database_url
        urls = {
            "PRICING_DATABASE_URL": role_url(admin, runtime, done.passwords.get(runtime)),
            "PRICING_MIGRATION_DATABASE_URL": role_url(admin, owner, done.passwords.get(owner)),
        }
        if done.passwords:
            return urls
        return {name: make_url(url).render_as_string(True) for name, url in urls.items()}


def schema_of(container: Container) -> Schema | None:
    """The container's database schema; None on memory://."""
    if container.engine is None:
        return None
    settings = container.settings
    return Schema(
        container.engine,
        migration_url=settings.migration_database_url,
        database_url=settings.database_url,
    )
