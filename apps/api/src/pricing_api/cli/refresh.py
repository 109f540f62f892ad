"""`pricing market refresh`: start the `market_refresh` job, and with --wait report it."""

from __future__ import annotations

import sys
from typing import Any

import click

from pricing_api.cli.common import (
    CLI_PRINCIPAL,
    EXIT_FAILED,
    container,
    emit_json,
    reporting_errors,
)
from pricing_api.cli.jobs import follow
from pricing_core.access.audit import RequestInfo
from pricing_core.jobs.model import Job, JobStatus
from pricing_core.market.refresh import MARKET_REFRESH

__all__ = ["refresh", "refresh_json"]


def refresh_json(job: Job) -> dict[str, Any]:
    """A finished refresh: its job, its status and each source's report."""
    report = dict(job.report or {})
    found: dict[str, Any] = {
        "job_id": job.id,
        "status": str(job.status),
        "sources": list(report.get("sources") or []),  # type: ignore[call-overload]  # the kind's JSON
    }
    if job.error:
        found["error"] = job.error
    return found


def _print(found: dict[str, Any]) -> None:
    click.echo(f"{found['job_id']}  {found['status']}")
    for s in found["sources"]:
        version = f" version {s['version']}" if s["version"] else ""
        click.echo(
            f"  {s['source']:<20} {s['status']:<9} {s['files']} file(s){version} "
            f"{s['rows']:,} rows  {s['seconds']:.1f} s"
        )
        for e in s["errors"]:
            where = f"line {e['line']}, column {e['column'] or '-'}" if e["line"] else e["column"]
            click.echo(f"    {e['file']}: {where or 'file'}: {e['reason']}", err=True)
    if "error" in found:
        click.echo(f"  error: {found['error']}", err=True)


@click.command("refresh")
@click.option("--source", help="Refresh this source's drop folder only.")
@click.option("--wait", is_flag=True, help="Wait for the refresh and print its report.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def refresh(ctx: click.Context, source: str | None, wait: bool, as_json: bool) -> None:
    """Import the new files of the market data drop folders (PRICING_MARKET_DROP_DIR).

    Prints the job id; with --wait (and always without a broker, as this command then runs
    the job itself) waits and prints the report. Exits 1 when a source failed.
    """
    services = container(ctx)
    payload = {} if source is None else {"source": source}
    info = RequestInfo(user_agent="pricing market refresh")
    with reporting_errors(as_json):
        job = services.jobs.start(CLI_PRINCIPAL, MARKET_REFRESH, payload, info)
    ended = follow(services, job, wait=wait, as_json=as_json)
    if ended is None:
        return
    found = refresh_json(ended)
    if as_json:
        emit_json(found)
    else:
        _print(found)
    if ended.status is not JobStatus.SUCCEEDED:
        sys.exit(EXIT_FAILED)
