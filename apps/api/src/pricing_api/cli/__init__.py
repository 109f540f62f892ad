"""The `pricing` command line."""

from __future__ import annotations

import click

from pricing_api.cli.backups import backups
from pricing_api.cli.database import database
from pricing_api.cli.jobs import jobs, worker
from pricing_api.cli.market import market
from pricing_api.cli.matching import match_command, occupations
from pricing_api.cli.places import areas
from pricing_api.cli.price import price_command
from pricing_api.cli.serve import serve
from pricing_api.cli.users import users

__all__ = ["cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="pricing-api")
def cli() -> None:
    """Price jobs from market salary data: percentiles, a range, confidence and why."""


cli.add_command(price_command)
cli.add_command(match_command)
cli.add_command(areas)
cli.add_command(occupations)
cli.add_command(market)
cli.add_command(database)
cli.add_command(serve)
cli.add_command(users)
cli.add_command(backups)
cli.add_command(jobs)
cli.add_command(worker)


def main() -> None:
    cli(prog_name="pricing")
