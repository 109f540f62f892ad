"""`pricing price`: price one job from a title or explicit survey matches."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import click

from pricing_api.cli.common import CLI_PRINCIPAL, container, emit_json, reporting_errors
from pricing_api.cli.params import DATE, DECIMAL, MATCH
from pricing_api.cli.price_file import price_file
from pricing_api.cli.render import render_result
from pricing_api.quoting import Quote, price_quote
from pricing_core.levels import Level
from pricing_core.market.model import ALL_INDUSTRIES
from pricing_core.pricing.model import Match, PricingOptions

__all__ = ["price_command"]


@click.command("price")
@click.option("--title", help="Job title in your words; matched to an occupation automatically.")
@click.option(
    "--match", "matches", type=MATCH, multiple=True, help="A survey match; repeat for a composite."
)
@click.option("--area", help="Area code (0041940) or name (San Jose).")
@click.option(
    "--industry", default=ALL_INDUSTRIES, show_default=True, help="Industry code (NAICS-based)."
)
@click.option(
    "--date",
    "pricing_date",
    type=DATE,
    help="Pricing date, 1900-01-01 to 2100-12-31 (default: today, UTC).",
)
@click.option("--percentile", type=click.IntRange(10, 90), help="Target percentile, 10-90.")
@click.option(
    "--level", type=click.Choice([lv.value for lv in Level]), help="Job level → target percentile."
)
@click.option("--positioning", type=DECIMAL, help="Lead (> 0) or lag (< 0) the market, e.g. 0.05.")
@click.option("--spread", type=DECIMAL, help="Range spread on the minimum, e.g. 0.5 for 50 %.")
@click.option("--aging-rate", type=DECIMAL, help="Annual aging rate, e.g. 0.03.")
@click.option("--json", "as_json", is_flag=True, help="Print the result JSON of pricing-method.md.")
@click.option(
    "--file",
    "source",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Price every row of a CSV or XLSX file (columns title or match, area, …).",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="With --file: write the priced rows here (.csv, .xlsx or .json; default: CSV out).",
)
@click.pass_context
def price_command(
    ctx: click.Context,
    title: str | None,
    matches: tuple[Match, ...],
    area: str | None,
    industry: str,
    pricing_date: date | None,
    percentile: int | None,
    level: str | None,
    positioning: Decimal | None,
    spread: Decimal | None,
    aging_rate: Decimal | None,
    as_json: bool,
    source: Path | None,
    output: Path | None,
) -> None:
    """Price a job: market percentiles, a range, confidence, and where each number came from.

    With --file, price each row of a file of jobs; a row that cannot be priced gets its
    `error` and the others go on (exit 1 when any failed).
    """
    if source is not None:
        if title or matches or area or as_json:
            raise click.UsageError(
                "--file takes its jobs from the file: no --title, --match, --area or --json"
            )
        price_file(container(ctx), source, output)
        return
    if output is not None:
        raise click.UsageError("--output goes with --file")
    if not area:
        raise click.UsageError("Missing option '--area'.")
    if bool(title) == bool(matches):
        raise click.UsageError("give either --title or at least one --match")
    with reporting_errors(as_json):
        quote = Quote(
            title=title,
            matches=matches,
            area=area,
            pricing_date=pricing_date,
            options=PricingOptions(
                industry=industry,
                percentile=percentile,
                level=Level(level) if level else None,
                positioning=positioning,
                spread=spread,
                aging_rate=aging_rate,
            ),
        )
        quoted = price_quote(container(ctx), CLI_PRINCIPAL, quote)
    if as_json:
        emit_json(quoted.as_json())
    else:
        render_result(quoted.result, quoted.matched)
