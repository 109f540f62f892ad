"""`pricing market`: sources, versions, activation and imports."""

from __future__ import annotations

import click

from pricing_api.cli.common import CLI_PRINCIPAL, container, emit_json, reporting_errors
from pricing_api.cli.importing import import_areas, import_oews, import_survey
from pricing_api.cli.refresh import refresh
from pricing_api.market_views import source_out, sources_out, version_out
from pricing_core.access.audit import RequestInfo

__all__ = ["market"]


@click.group("market")
def market() -> None:
    """Market data: sources, their versions, and imports of new data."""


@market.command("sources")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def sources(ctx: click.Context, as_json: bool) -> None:
    """Every loaded source with its active version."""
    listed = sources_out(container(ctx))
    if as_json:
        emit_json(listed)
        return
    if not listed:
        click.echo("no market data loaded")
    for s in listed:
        click.echo(
            f"{s.source:<16} {s.kind:<7} active {s.active_version or '-':<14} "
            f"{s.rows:>9,} rows  imported {s.imported_at or '-'}  {s.title}"
        )


@market.command("versions")
@click.argument("source")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def versions(ctx: click.Context, source: str, as_json: bool) -> None:
    """Every version of SOURCE, newest first; * marks the active one."""
    services = container(ctx)
    with reporting_errors(as_json):
        found = services.list_versions(CLI_PRINCIPAL, source)
    if as_json:
        emit_json([version_out(v, on) for v, on in found])
        return
    for v, on in found:
        mark = "*" if on else " "
        click.echo(
            f"{mark} {v.label:<20} {v.rows:>9,} rows  {v.imported_at:%Y-%m-%d %H:%M} UTC  "
            f"by {v.imported_by}  sha256 {v.sha256[:12]}"
        )


@market.command("activate")
@click.argument("source")
@click.argument("version")
@click.option("--json", "as_json", is_flag=True, help="Print the source as JSON.")
@click.pass_context
def activate(ctx: click.Context, source: str, version: str, as_json: bool) -> None:
    """Make VERSION the active version of SOURCE (roll back or forward)."""
    services = container(ctx)
    with reporting_errors(as_json):
        found = services.activate_version(CLI_PRINCIPAL, source, version, RequestInfo())
    if as_json:
        emit_json(source_out(services, found))
        return
    click.echo(f"{source}: version {version} is now active")


market.add_command(import_oews)
market.add_command(import_survey)
market.add_command(import_areas)
market.add_command(refresh)
