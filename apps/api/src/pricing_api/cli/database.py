"""`pricing db`: the schema's revision, migrating to the newest one, and PostgreSQL roles."""

from __future__ import annotations

import click

from pricing_adapters.schema import Schema, schema_of
from pricing_api.cli.common import container, emit_json
from pricing_api.cli.dbstats import db_stats

__all__ = ["database"]


@click.group("db")
def database() -> None:
    """The database behind PRICING_DATABASE_URL (SQLite by default, or PostgreSQL)."""


database.add_command(db_stats)


def _schema(ctx: click.Context) -> Schema:
    schema = schema_of(container(ctx, prepared=False))
    if schema is None:
        raise click.UsageError("PRICING_DATABASE_URL is memory://: there is no database")
    return schema


@database.command("upgrade")
@click.pass_context
def db_upgrade(ctx: click.Context) -> None:
    """Migrate the schema to the newest revision (commands also do this on first use), as
    PRICING_MIGRATION_DATABASE_URL's role when it is set."""
    schema = _schema(ctx)
    ran = schema.upgrade()
    state = "upgraded to" if ran else "already at"
    click.echo(f"{state} revision {schema.current()}")


@database.command("current")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def db_current(ctx: click.Context, as_json: bool) -> None:
    """The schema revision of the database and the newest one this version knows."""
    schema = _schema(ctx)
    current, head = schema.current(), schema.head()
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
    schema = _schema(ctx)
    try:
        done = schema.setup_roles(owner=owner, runtime=runtime, set_passwords=generate_passwords)
    except ValueError as error:
        raise click.UsageError(str(error)) from error
    for line in done.actions:
        click.echo(line)
    click.echo("settings for the application:")
    for name, url in schema.role_urls(done, owner=owner, runtime=runtime).items():
        click.echo(f"  {name}={url}")
