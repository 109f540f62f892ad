"""`pricing areas search`: the areas tree by code or name."""

from __future__ import annotations

import click

from pricing_api.cli.common import container, emit_json
from pricing_api.market_views import area_out
from pricing_core.places import search_areas

__all__ = ["areas"]


@click.group("areas")
def areas() -> None:
    """Areas: national, states, metros and nonmetro areas."""


@areas.command("search")
@click.argument("text")
@click.option("--limit", type=click.IntRange(1, 600), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def areas_search(ctx: click.Context, text: str, limit: int, as_json: bool) -> None:
    """Areas whose code is TEXT or whose name contains its words."""
    found = search_areas(container(ctx).market, text, limit=limit)
    if as_json:
        emit_json([area_out(a) for a in found])
        return
    if not found:
        click.echo(f"no area matches {text!r}")
    for a in found:
        click.echo(f"{a.code}  {a.kind:<8}  {a.name}")
