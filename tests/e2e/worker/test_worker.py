"""`pricing worker` over Redis and RabbitMQ runs the jobs the command line starts.

A job started by `pricing jobs start` (which only records and sends it, a broker being
configured) is run by the worker subprocess and reaches succeeded, with the worker's
metrics written; the same message sent twice runs the job once; a worker killed in the
middle of a job leaves it running until the reconciler fails it, and the message the
broker delivers again does not run it a second time.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from pricing_adapters.clock import FixedClock
from pricing_api.cli import cli
from pricing_core.jobs.model import JobStatus
from pricing_core.jobs.reconcile import Reconcile
from pricing_worker.__main__ import main as worker_main
from tests.e2e.worker.conftest import Deployment


def start(deployment: Deployment, kind: str, payload: str = "{}") -> str:
    result = CliRunner().invoke(
        cli, ["jobs", "start", kind, "--payload", payload, "--json"], env=deployment.cli_env
    )
    assert result.exit_code == 0, result.output
    job_id: str = json.loads(result.stdout.splitlines()[-1])["job_id"]
    return job_id


def finished(deployment: Deployment, job_id: str) -> JobStatus:
    return deployment.until(job_id, lambda job: job.finished).status


def test_a_job_started_from_the_command_line_is_run_by_the_worker_over_redis(
    redis_deployment: Deployment,
) -> None:
    job_id = start(redis_deployment, "probe", '{"seconds": 1}')
    assert finished(redis_deployment, job_id) is JobStatus.SUCCEEDED
    job = redis_deployment.job(job_id)
    assert job.report == {"seconds": 1}
    assert job.attempts == 1
    assert job.request_id in redis_deployment.output()  # the worker's log line of the job
    housekeeping = start(redis_deployment, "housekeeping")
    assert finished(redis_deployment, housekeeping) is JobStatus.SUCCEEDED
    shown = CliRunner().invoke(
        cli, ["jobs", "show", housekeeping, "--json"], env=redis_deployment.cli_env
    )
    assert json.loads(shown.stdout)["report"]["removed"]["refresh_tokens"] == 0
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=redis_deployment.env["PRICING_METRICS_DIR"])  # type: ignore[no-untyped-call]  # untyped upstream
    text = generate_latest(registry).decode()
    assert 'worker_tasks_total{status="succeeded",task_name="job_probe"} 1.0' in text


def test_a_job_is_run_by_the_worker_over_rabbitmq(rabbitmq_deployment: Deployment) -> None:
    job_id = start(rabbitmq_deployment, "probe")
    assert finished(rabbitmq_deployment, job_id) is JobStatus.SUCCEEDED
    waited = CliRunner().invoke(
        cli,
        ["jobs", "start", "probe", "--payload", '{"seconds": 1}', "--wait", "--json"],
        env=rabbitmq_deployment.cli_env,
    )
    assert waited.exit_code == 0, waited.output
    shown = json.loads(waited.stdout.splitlines()[-1])
    assert (shown["status"], shown["report"]) == ("succeeded", {"seconds": 1})


def test_a_message_delivered_twice_runs_the_job_once(redis_deployment: Deployment) -> None:
    job_id = start(redis_deployment, "probe", '{"seconds": 2}')
    jobs = redis_deployment.container.jobs
    jobs.queue.enqueue(redis_deployment.job(job_id))  # the same job's message again
    jobs.queue.enqueue(redis_deployment.job(job_id))
    assert finished(redis_deployment, job_id) is JobStatus.SUCCEEDED
    assert redis_deployment.job(job_id).attempts == 1


def test_a_worker_killed_mid_job_leaves_it_for_the_reconciler_to_fail(
    redis_deployment: Deployment,
) -> None:
    job_id = start(redis_deployment, "probe", '{"seconds": 600}')
    redis_deployment.until(job_id, lambda job: job.status is JobStatus.RUNNING and job.done >= 1)
    redis_deployment.kill()
    stuck = redis_deployment.job(job_id)
    assert stuck.status is JobStatus.RUNNING
    jobs = redis_deployment.container.jobs
    # An hour later: no heartbeat since the kill.
    later = FixedClock(redis_deployment.container.clock.now() + timedelta(hours=1))
    reconcile = Reconcile(store=jobs.store, queue=jobs.queue, clock=later)
    assert reconcile().abandoned == 1
    failed = redis_deployment.job(job_id)
    assert failed.status is JobStatus.FAILED
    assert failed.error is not None
    assert "the worker stopped during the job" in failed.error
    assert jobs.run(job_id) is None  # the message delivered again runs nothing


def test_without_a_broker_the_worker_commands_say_there_is_nothing_to_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PRICING_BROKER_URL", raising=False)
    env = {"PRICING_DATA_DIR": str(tmp_path), "PRICING_BROKER_URL": ""}
    result = CliRunner().invoke(cli, ["worker", "--processes", "1"], env=env)
    assert result.exit_code == 2
    assert "PRICING_BROKER_URL is not set" in result.output
    assert worker_main(["--processes", "1"]) == 2


def test_a_broker_url_of_another_kind_is_refused_by_name(tmp_path: Path) -> None:
    env = {"PRICING_DATA_DIR": str(tmp_path), "PRICING_BROKER_URL": "kafka://h:9092"}
    result = CliRunner().invoke(cli, ["worker"], env=env)
    assert result.exit_code == 2
    assert "PRICING_BROKER_URL must start with one of" in result.output
