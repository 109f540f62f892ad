"""`pricing db stats`: statement timings by shape, as the serving processes recorded them."""

from __future__ import annotations

from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pricing_adapters.timing import ShapeRow, load_stats, stats_directory
from pricing_api.cli.common import container, emit_json

__all__ = ["db_stats"]

MAX_SHOWN = 600  # characters of a statement on a terminal; --json gives them whole


def _json(row: ShapeRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "shape": row.shape,
        "count": row.count,
        "mean_ms": round(row.mean * 1000, 3),
        "p95_ms": round(row.p95 * 1000, 3),
        "max_ms": round(row.max * 1000, 3),
        "total_ms": round(row.total * 1000, 3),
    }


def _show(console: Console, title: str, rows: list[ShapeRow]) -> None:
    """The figures as a table, then each id's full text: long SQL reads badly in a cell."""
    table = Table(title=title, title_justify="left")
    for name in ("id", "count", "mean ms", "p95 ms", "max ms", "total ms"):
        table.add_column(name, justify="left" if name == "id" else "right")
    for row in rows:
        figures = (row.mean, row.p95, row.max, row.total)
        table.add_row(row.id, f"{row.count:,}", *(f"{v * 1000:,.2f}" for v in figures))
    console.print(table)
    for row in rows:
        console.print(f"[bold]{row.id}[/]  {escape(row.shape[:MAX_SHOWN])}", soft_wrap=True)


@click.command("stats")
@click.option("--json", "as_json", is_flag=True)
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True)
@click.option("--reset", is_flag=True, help="Forget the recorded figures.")
@click.pass_context
def db_stats(ctx: click.Context, as_json: bool, limit: int, reset: bool) -> None:
    """Statement timings by shape (literals as ?), busiest first: count, mean, p95, max.

    The API processes record them (PRICING_QUERY_STATS_DIR); each shape's id is the
    `shape` label of the db_query_duration_seconds metric.
    """
    settings = container(ctx, prepared=False).settings
    directory = stats_directory(settings)
    if reset:
        # Only the figures files: the folder may be shared (the data folder itself).
        for path in directory.glob("*.json") if directory.is_dir() else []:
            path.unlink(missing_ok=True)
        click.echo(f"statement figures forgotten ({directory})")
        return
    statements, operations = load_stats(directory)
    statements, operations = statements[:limit], operations[:limit]
    if as_json:
        emit_json(
            {
                "directory": str(directory),
                "statements": [_json(r) for r in statements],
                "operations": [_json(r) for r in operations],
            }
        )
        return
    if not statements and not operations:
        click.echo(f"no statement figures yet in {directory} (the API records them)")
        return
    console = Console(highlight=False)
    _show(console, "Statements by shape", statements)
    if operations:
        _show(console, "Timed operations", operations)
