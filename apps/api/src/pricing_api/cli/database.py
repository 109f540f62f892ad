"""`pricing db`: the schema's revision, migrating to the newest one, and PostgreSQL roles."""

from __future__ import annotations

import click
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from pricing_adapters.sql.migrate import current_revision, head_revision, migrating, upgrade
from pricing_adapters.sql.roles import role_url, setup_roles
from pricing_api.cli.common import container, emit_json
from pricing_api.cli.dbstats import db_stats

__all__ = ["database"]


@click.group("db")
def database() -> None:
    """The database behind PRICING_DATABASE_URL (SQLite by default, or PostgreSQL)."""


database.add_command(db_stats)


def _engine(ctx: click.Context) -> Engine:
    engine = container(ctx, prepared=False).engine
    if engine is None:
        raise click.UsageError("PRICING_DATABASE_URL is memory://: there is no database")
    return engine


@database.command("upgrade")
@click.pass_context
def db_upgrade(ctx: click.Context) -> None:
    """Migrate the schema to the newest revision (commands also do this on first use), as
    PRICING_MIGRATION_DATABASE_URL's role when it is set."""
    settings = container(ctx, prepared=False).settings
    with migrating(_engine(ctx), settings.migration_database_url) as engine:
        ran = upgrade(engine)
        state = "upgraded to" if ran else "already at"
        click.echo(f"{state} revision {current_revision(engine)}")


@database.command("current")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def db_current(ctx: click.Context, as_json: bool) -> None:
    """The schema revision of the database and the newest one this version knows."""
    engine = _engine(ctx)
    current, head = current_revision(engine), head_revision()
    if as_json:
        emit_json({"current": current, "head": head, "up_to_date": current == head})
        return
    click.echo(f"current: {current or 'empty database'}")
    click.echo(f"head:    {head}{'' if current == head else '  (run: pricing db upgrade)'}")


@database.command("roles")
@click.option("--owner", default="pricing_owner", show_default=True, help="Owns the schema.")
@click.option(
    "--runtime", default="pricing_app", show_default=True, help="The application connects as it."
)
@click.option(
    "--generate-passwords",
    is_flag=True,
    help="Give both roles new random passwords, printed once with their URLs.",
)
@click.pass_context
def db_roles(ctx: click.Context, owner: str, runtime: str, generate_passwords: bool) -> None:
    """Create (or check) the PostgreSQL owner and runtime roles: the owner runs migrations,
    the application runs as the runtime role, which may only read and insert audit rows.

    Run it as a superuser (PRICING_MIGRATION_DATABASE_URL, else PRICING_DATABASE_URL), once
    and after each upgrade: it changes only what is missing. See docs/database-roles.md.
    """
    settings = container(ctx, prepared=False).settings
    admin_url = settings.migration_database_url or settings.database_url
    with migrating(_engine(ctx), settings.migration_database_url) as engine:
        if engine.dialect.name != "postgresql":
            raise click.UsageError("database roles exist on PostgreSQL only")
        try:
            done = setup_roles(
                engine, owner=owner, runtime=runtime, set_passwords=generate_passwords
            )
        except ValueError as error:
            raise click.UsageError(str(error)) from error
    for line in done.actions:
        click.echo(line)
    click.echo("settings for the application:")
    urls = {
        "PRICING_DATABASE_URL": role_url(admin_url, runtime, done.passwords.get(runtime)),
        "PRICING_MIGRATION_DATABASE_URL": role_url(admin_url, owner, done.passwords.get(owner)),
    }
    for name, url in urls.items():
        shown = url if generate_passwords else make_url(url).render_as_string(True)
        click.echo(f"  {name}={shown}")
