"""`pricing db`: the schema's revision, and migrating to the newest one."""

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
    """Migrate the schema to the newest revision (commands also do this on first use)."""
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
