"""`pricing market import-*`: stream a file into a new version, with progress and a report."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TransferSpeedColumn,
)

from pricing_adapters.importers.areas_csv import open_areas
from pricing_adapters.importers.bls_flat import open_bls_flat
from pricing_adapters.importers.oews_sqlite import open_oews_sqlite
from pricing_adapters.importers.records import ReleaseFile
from pricing_api.cli.common import (
    CLI_PRINCIPAL,
    EXIT_FAILED,
    container,
    emit_json,
    operator,
    reporting_errors,
)
from pricing_api.market_views import (
    IMPORT_REJECTED,
    import_report_out,
    open_survey_file,
    rejection,
)
from pricing_core.access.audit import RequestInfo
from pricing_core.market.imports import AreasReport, ImportOutcome, ImportReport

__all__ = ["import_areas", "import_oews", "import_survey"]

FILE = click.Path(exists=True, path_type=Path)


@contextmanager
def file_progress(path: Path) -> Iterator[Callable[[int], None]]:
    """A progress bar over the file's bytes on a terminal; silent otherwise."""
    size = path.stat().st_size if path.is_file() else sum(p.stat().st_size for p in path.iterdir())
    console = Console(stderr=True)
    bar = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=not console.is_terminal,
        transient=True,
    )
    with bar:
        task = bar.add_task(f"importing {path.name}", total=size)
        yield lambda done: bar.advance(task, done)


def _problems_out(report: ImportReport | AreasReport) -> None:
    listed, total = report.problems, report.problem_count
    click.echo(f"rejected: {total} problem(s); nothing was changed", err=True)
    for problem in listed:
        click.echo(f"  {problem.describe()}", err=True)
    if total > len(listed):
        click.echo(f"  … and {total - len(listed)} more", err=True)


def _rejected_out(report: ImportReport | AreasReport, as_json: bool) -> None:
    """Every problem (with --json, the API's `import_rejected` error), then exit 1."""
    if as_json:
        detail, body = rejection(report)
        emit_json({"error": {"code": IMPORT_REJECTED, "message": detail, **body}})
    else:
        _problems_out(report)
    sys.exit(EXIT_FAILED)


def report_out(report: ImportReport, as_json: bool) -> None:
    """The import's figures; a rejected import lists its problems and exits non-zero."""
    if report.outcome is ImportOutcome.REJECTED:
        _rejected_out(report, as_json)
    if as_json:
        emit_json(import_report_out(report))
    elif report.outcome is ImportOutcome.UNCHANGED:
        click.echo(
            f"{report.source}: unchanged — this file (sha256 {report.sha256[:12]}) holds the "
            f"data of the active version {report.version}; nothing to do"
        )
    else:
        click.echo(
            f"{report.source}: version {report.version} loaded and active — {report.rows:,} rows "
            f"in {report.seconds:.1f} s ({report.rows_per_second:,.0f} rows/s)"
        )


def _load(
    ctx: click.Context,
    opener: Callable[[Callable[[int], None]], ReleaseFile],
    path: Path,
    imported_by: str | None,
    as_json: bool,
) -> None:
    services = container(ctx)
    with reporting_errors(as_json), file_progress(path) as advance:
        release = opener(advance)
        report = services.import_release(
            CLI_PRINCIPAL,
            release,
            file=path.name,
            info=RequestInfo(),
            operator=operator(imported_by),
        )
    report_out(report, as_json)


BY = click.option(
    "--imported-by",
    help="Who runs the import, kept in its audit row (default: the operating system user).",
)
JSON = click.option("--json", "as_json", is_flag=True, help="Print the import report as JSON.")
LABEL = click.option("--label", help="Version label (default: from the file).")


@click.command("import-oews")
@click.argument("path", type=FILE)
@click.option("--source", help="Source name (default: oews-<data year>).")
@LABEL
@BY
@JSON
@click.pass_context
def import_oews(
    ctx: click.Context,
    path: Path,
    source: str | None,
    label: str | None,
    imported_by: str | None,
    as_json: bool,
) -> None:
    """Import a BLS OEWS release: the OEWS SQLite (.sqlite or .sqlite.gz), or a folder of
    BLS flat files (oe.data.0.Current, oe.area, oe.occupation, oe.industry, oe.footnote)."""
    flat = path.is_dir() or path.name.startswith("oe.")
    opener = open_bls_flat if flat else open_oews_sqlite
    _load(
        ctx,
        lambda advance: opener(path, source=source, label=label, progress=advance),
        path,
        imported_by,
        as_json,
    )


@click.command("import-survey")
@click.argument("path", type=FILE)
@click.option("--source", required=True, help="Source name, e.g. mercer-2025.")
@click.option(
    "--pay-period",
    type=click.Choice(["annual", "monthly"]),
    default="annual",
    show_default=True,
    help="Pay period of rows without a pay_period column.",
)
@click.option(
    "--months-per-year",
    type=click.IntRange(12, 16),
    default=12,
    show_default=True,
    help="Months a monthly figure is multiplied by (13 where a 13th month is paid).",
)
@click.option("--sheet", help="XLSX sheet name (default: the first sheet).")
@LABEL
@BY
@JSON
@click.pass_context
def import_survey(
    ctx: click.Context,
    path: Path,
    source: str,
    pay_period: str,
    months_per_year: int,
    sheet: str | None,
    label: str | None,
    imported_by: str | None,
    as_json: bool,
) -> None:
    """Import a purchased salary survey (CSV or XLSX, Mercer-style columns)."""
    services = container(ctx)
    _load(
        ctx,
        lambda advance: open_survey_file(
            services,
            path,
            source=source,
            pay_period=pay_period,
            months_per_year=months_per_year,
            sheet=sheet,
            label=label,
            progress=advance,
        ),
        path,
        imported_by,
        as_json,
    )


@click.command("import-areas")
@click.argument("path", type=FILE)
@BY
@JSON
@click.pass_context
def import_areas(ctx: click.Context, path: Path, imported_by: str | None, as_json: bool) -> None:
    """Add or update areas from a CSV (code, name, kind, parent), e.g. other countries."""
    services = container(ctx)
    with reporting_errors(as_json):
        known = {a.code for a in services.market.areas()}
        areas, problems = open_areas(path, known_areas=known)
        report = services.import_areas(
            CLI_PRINCIPAL,
            areas,
            problems,
            file=path.name,
            info=RequestInfo(),
            operator=operator(imported_by),
        )
    if report.outcome is ImportOutcome.REJECTED:
        _rejected_out(report, as_json)
    if as_json:
        emit_json({"outcome": str(report.outcome), "areas": report.areas})
    else:
        click.echo(f"{report.areas} area(s) added or updated")
