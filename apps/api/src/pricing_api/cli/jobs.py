"""`pricing jobs`: start a background job, follow it, list them; `pricing worker` runs them."""

from __future__ import annotations

import json
import sys
import time

import click

from pricing_adapters.bootstrap import Container
from pricing_adapters.settings import Settings, SettingsError
from pricing_adapters.worker.runner import NoBroker, run_worker
from pricing_api.cli.common import EXIT_FAILED, container, emit_json, reporting_errors
from pricing_api.job_views import job_json
from pricing_core.access.audit import RequestInfo
from pricing_core.access.system import CLI_PRINCIPAL
from pricing_core.errors import InvalidRequest
from pricing_core.jobs.model import Job, JobQuery, JobStatus

__all__ = ["jobs", "worker"]

POLL_SECONDS = 0.5


@click.group("jobs")
def jobs() -> None:
    """Background jobs: start one, show one, list them."""


def _print(job: Job) -> None:
    total = "?" if job.total is None else job.total
    click.echo(f"{job.id}  {job.kind}  {job.status}  {job.done}/{total}  by {job.started_by}")
    click.echo(f"  created {job.created_at.isoformat()}  attempts {job.attempts}")
    if job.finished_at is not None:
        click.echo(f"  finished {job.finished_at.isoformat()}")
    if job.error:
        click.echo(f"  error: {job.error}")
    if job.report is not None:
        click.echo(f"  report: {json.dumps(dict(job.report), ensure_ascii=False)}")


def _payload(text: str) -> dict[str, object]:
    try:
        found = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidRequest("payload", f"is not JSON: {error.msg}") from None
    if not isinstance(found, dict):
        raise InvalidRequest("payload", "must be a JSON object")
    return found


@jobs.command("start")
@click.argument("kind")
@click.option("--payload", default="{}", show_default=True, help="The job's input, as JSON.")
@click.option("--wait", is_flag=True, help="Wait for the job to finish and show how it ended.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def start(ctx: click.Context, kind: str, payload: str, wait: bool, as_json: bool) -> None:
    """Start a job of KIND (`housekeeping`, `probe`, ...); prints its id.

    Without a broker (PRICING_BROKER_URL), this command runs the job itself and waits.
    """
    services = container(ctx)
    info = RequestInfo(user_agent="pricing jobs start")
    with reporting_errors(as_json):
        job = services.jobs.start(CLI_PRINCIPAL, kind, _payload(payload), info)
    ended = follow(services, job, wait=wait, as_json=as_json)
    if ended is None:
        return
    if as_json:
        emit_json(job_json(ended))
    else:
        _print(ended)
    if ended.status is not JobStatus.SUCCEEDED:
        sys.exit(EXIT_FAILED)


def follow(services: Container, job: Job, *, wait: bool, as_json: bool) -> Job | None:
    """The job once it finished; None after printing its id, when a worker runs it and the
    caller does not wait (without a broker this process runs it, so it always waits)."""
    if not (wait or services.jobs.broker is None):
        if as_json:
            emit_json({"job_id": job.id})
        else:
            click.echo(job.id)
        return None
    services.jobs.wait()
    ended = services.jobs.store.get(job.id)
    while ended is not None and not ended.finished:
        time.sleep(POLL_SECONDS)
        ended = services.jobs.store.get(job.id)
    assert ended is not None
    return ended


@jobs.command("show")
@click.argument("job_id")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def show(ctx: click.Context, job_id: str, as_json: bool) -> None:
    """One job: status, progress, report or error."""
    services = container(ctx)
    with reporting_errors(as_json):
        job = services.jobs.get(CLI_PRINCIPAL, job_id)
    if as_json:
        emit_json(job_json(job))
    else:
        _print(job)


@jobs.command("list")
@click.option("--status", type=click.Choice([s.value for s in JobStatus]), default=None)
@click.option("--kind", default=None)
@click.option("--limit", type=click.IntRange(1, 200), default=50, show_default=True)
@click.option("--offset", type=click.IntRange(0), default=0, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def list_jobs(
    ctx: click.Context, status: str | None, kind: str | None, limit: int, offset: int, as_json: bool
) -> None:
    """Jobs, newest first."""
    services = container(ctx)
    query = JobQuery(
        status=None if status is None else JobStatus(status), kind=kind, limit=limit, offset=offset
    )
    with reporting_errors(as_json):
        found, total = services.jobs.list(CLI_PRINCIPAL, query)
    if as_json:
        emit_json(
            {
                "items": [job_json(j) for j in found],
                "total": total,
                "limit": limit,
                "offset": offset,
            }
        )
        return
    if not found:
        click.echo("no jobs")
    for job in found:
        total_ = "?" if job.total is None else job.total
        click.echo(
            f"{job.created_at:%Y-%m-%d %H:%M:%S}  {job.status:<9} {job.kind:<16} "
            f"{job.done}/{total_}  {job.id}"
        )
    click.echo(f"{len(found)} of {total}", err=True)


@click.command("worker")
@click.option("--processes", type=click.IntRange(1, 64), default=2, show_default=True)
@click.option("--threads", type=click.IntRange(1, 64), default=4, show_default=True)
def worker(processes: int, threads: int) -> None:
    """Run the background job workers (needs PRICING_BROKER_URL) until stopped."""
    try:
        code = run_worker(Settings.from_env(), processes=processes, threads=threads)
    except (SettingsError, NoBroker) as error:
        raise click.UsageError(str(error)) from error
    sys.exit(code)
