"""`pricing backups`: make a backup of the database, and prove the backups restore."""

from __future__ import annotations

import sys

import click

from pricing_adapters.backups.wiring import BackupServices, build_backups
from pricing_api.backup_views import created_json, report_json
from pricing_api.cli.common import container, emit_json, reporting_errors
from pricing_core.access.audit import Auditor, RequestInfo
from pricing_core.access.system import CLI_PRINCIPAL
from pricing_core.backups.model import BackupReport

__all__ = ["backups"]

EXIT_NOT_PROVEN = 1


def _services(ctx: click.Context) -> BackupServices:
    services = container(ctx)
    return build_backups(
        services.settings,
        services.engine,
        clock=services.clock,
        metrics=services.metrics,
        auditor=Auditor(log=services.access.audit_log, clock=services.clock),
    )


@click.group("backups")
def backups() -> None:
    """Backups of the database: create one; verify them all, with a restore test."""


@backups.command("create")
@click.option("--json", "as_json", is_flag=True, help="Print the new backup's figures as JSON.")
@click.pass_context
def create(ctx: click.Context, as_json: bool) -> None:
    """Write a backup (pg_dump -Fc, or SQLite's backup API) and its manifest to
    PRICING_BACKUP_DIR."""
    with reporting_errors(as_json):
        services = _services(ctx)
        click.echo(f"backing up the database into {services.directory} …", err=True)
        created = services.create(CLI_PRINCIPAL, RequestInfo())
    if as_json:
        emit_json(created_json(created))
        return
    click.echo(
        f"{created.filename}: {created.size / 1_048_576:,.2f} MB, {created.tables} tables, "
        f"{created.rows:,} rows, in {created.seconds:.1f} s (sha256 {created.sha256[:12]})"
    )


@backups.command("verify")
@click.option("--restore-test", is_flag=True, help="Restore the newest backup and compare.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def verify(ctx: click.Context, restore_test: bool, as_json: bool) -> None:
    """Check every backup in PRICING_BACKUP_DIR; exit 0 only when the newest is valid, within
    the RPO, and (with --restore-test) restored and priced from."""
    with reporting_errors(as_json):
        services = _services(ctx)
        click.echo(
            f"checking the backups in {services.directory}"
            + (" and restoring the newest …" if restore_test else " …"),
            err=True,
        )
        report = services.verify(CLI_PRINCIPAL, restore_test=restore_test)
    if as_json:
        emit_json(report_json(report))
    else:
        _table(report)
    sys.exit(0 if report.ok else EXIT_NOT_PROVEN)


def _table(report: BackupReport) -> None:
    for verdict in report.verdicts:
        facts = verdict.facts
        failed = [f"{c.name}: {c.detail}" for c in verdict.checks if not c.ok]
        mark = "valid  " if verdict.valid else "INVALID"
        click.echo(
            f"{mark} {facts.filename:<40} {facts.size / 1_048_576:>10,.2f} MB  "
            f"{facts.created:%Y-%m-%d %H:%M} UTC"
        )
        for reason in failed:
            click.echo(f"        {reason}")
    click.echo(
        f"{report.found} found, {report.valid} valid, {report.invalid} invalid; "
        + (
            f"newest valid {report.latest_valid.filename}, {report.latest_age_hours} h old "
            f"(RPO {report.policy.max_age_hours} h)"
            if report.latest_valid
            else "no valid backup"
        )
    )
    restored = report.restore
    if restored is not None:
        state = "passed" if restored.ok else "FAILED"
        click.echo(
            f"restore test of {restored.filename} {state} in {restored.seconds:.1f} s: "
            f"{len(restored.tables)} tables compared"
        )
        for difference in restored.differences:
            click.echo(f"        {difference}")
        if restored.smoke is not None:
            click.echo(f"        {restored.smoke.name}: {restored.smoke.detail}")
        if restored.error and not restored.differences:
            click.echo(f"        {restored.error}")
    for problem in report.problems:
        click.echo(f"problem: {problem}", err=True)
