"""`pricing price --file`: price every row of a CSV or XLSX file of jobs, as single quotes."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from pricing_adapters.batch_files import FORMATS, read_table, write_csv, write_table
from pricing_adapters.bootstrap import Container
from pricing_api.cli.common import CLI_PRINCIPAL, EXIT_FAILED, reporting_errors
from pricing_core.batch.rows import BatchSummary, PriceBatch, output_columns

__all__ = ["price_file"]


def _format(output: Path) -> str:
    fmt = output.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise click.BadParameter("must end in .csv, .xlsx or .json", param_hint="--output")
    return fmt


def price_file(services: Container, source: Path, output: Path | None) -> None:
    """Write the priced rows to `output` (by its suffix) or as CSV to standard output; print
    the figures on standard error; exit 1 when any row failed."""
    fmt = _format(output) if output is not None else "csv"
    console = Console(stderr=True)
    summary = BatchSummary()
    began = time.perf_counter()
    with reporting_errors(as_json=False):
        table = read_table(source)
        columns = output_columns(table.header)
        bar = Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=console,
            disable=not console.is_terminal,
        )
        with bar, table.rows() as rows:
            task = bar.add_task("pricing", total=table.total)

            def advance(done: int) -> None:
                bar.update(task, completed=done)

            priced = PriceBatch(price_quote=services.price_quote)(
                CLI_PRINCIPAL, table.header, rows, summary, advance
            )
            with services.timing.timed("price_batch"):
                if output is None:
                    write_csv(sys.stdout, columns, priced)
                else:
                    write_table({fmt: output}, columns, priced)
    seconds = time.perf_counter() - began
    rate = summary.rows / seconds if seconds > 0 else 0.0
    console.print(
        f"rows {summary.rows}, failed {summary.failed}, {seconds:.2f} s, {rate:.1f} rows/s",
        highlight=False,
    )
    if summary.failed:
        sys.exit(EXIT_FAILED)
