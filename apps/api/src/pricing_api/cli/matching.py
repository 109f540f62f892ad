"""`pricing match` and `pricing occupations search`: titles to occupations."""

from __future__ import annotations

from pathlib import Path

import click

from pricing_api.cli.common import container, emit_json, reporting_errors
from pricing_api.market_views import match_out, occupation_out

__all__ = ["match_command", "occupations"]


def _titles(titles: tuple[str, ...], file: Path | None) -> list[str]:
    listed = list(titles)
    if file is not None:
        text = file.read_text(encoding="utf-8-sig")
        listed += [line.strip() for line in text.splitlines() if line.strip()]
    return listed


@click.command("match")
@click.argument("titles", nargs=-1)
@click.option(
    "--file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Titles, one per line.",
)
@click.option(
    "--limit",
    type=click.IntRange(1, 50),
    default=5,
    show_default=True,
    help="Candidates per title.",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per title per line.")
@click.pass_context
def match_command(
    ctx: click.Context, titles: tuple[str, ...], file: Path | None, limit: int, as_json: bool
) -> None:
    """Match job titles to occupations, with a score and the reason for each candidate."""
    wanted = _titles(titles, file)
    if not wanted:
        raise click.UsageError("give at least one TITLE or --file PATH")
    with reporting_errors(as_json):
        matcher = container(ctx).title_matcher()
        for title in wanted:
            found = matcher.match(title, limit=limit)
            if as_json:
                emit_json(match_out(found))
                continue
            level = f"  [level: {found.level} from {found.level_word!r}]" if found.level else ""
            click.echo(f"{title}{level}")
            if not found.candidates:
                click.echo("  no occupation matches")
            for c in found.candidates:
                click.echo(f"  {c.score:.2f}  {c.job_code}  {c.title}  ({c.reason})")


@click.group("occupations")
def occupations() -> None:
    """Occupations of the title source (OEWS SOC codes)."""


@occupations.command("search")
@click.argument("text")
@click.option("--limit", type=click.IntRange(1, 200), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def occupations_search(ctx: click.Context, text: str, limit: int, as_json: bool) -> None:
    """Occupations whose code or name contains TEXT."""
    with reporting_errors(as_json):
        found = container(ctx).title_matcher().search_occupations(text, limit=limit)
    if as_json:
        emit_json([occupation_out(o) for o in found])
        return
    if not found:
        click.echo(f"no occupation matches {text!r}")
    for o in found:
        click.echo(f"{o.code}  {o.title}")
