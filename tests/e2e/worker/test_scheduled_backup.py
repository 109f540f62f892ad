"""The worker's backup schedule: `pricing worker` starts `backup_create` on its slot (a
restart just after a slot still starts it), creates and verifies with a restore test, and
its metrics reach the shared metrics folder that the API's /metrics reads."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from pricing_adapters.clock import SystemClock
from pricing_core.backups.jobs import BACKUP_CREATE
from pricing_core.jobs.model import Job, JobStatus
from pricing_core.jobs.service import scheduled_id
from tests.e2e.backups.test_backups_cli import load_market
from tests.e2e.worker.conftest import DEADLINE, Deployment, open_deployment, redis_broker_url


@pytest.fixture
def deployment(tmp_path: Path) -> Iterator[tuple[Deployment, datetime]]:
    # A daily slot a minute ago: the worker's first tick, looking back 15 minutes, starts it.
    slot = (SystemClock().now() - timedelta(minutes=1)).replace(second=0, microsecond=0)
    env = {
        "PRICING_DATA_DIR": str(tmp_path / "data"),
        "PRICING_DATABASE_URL": f"sqlite:///{tmp_path / 'pricing.db'}",
        "PRICING_BUNDLED_DATA": "false",
    }
    load_market(env, tmp_path)  # the restore test prices a job from the restored copy
    found = open_deployment(
        tmp_path,
        redis_broker_url(),
        PRICING_BACKUP_SCHEDULE=f"{slot.minute} {slot.hour} * * *",
        PRICING_REFRESH_SCHEDULE="off",
        PRICING_HOUSEKEEPING_SCHEDULE="off",
    )
    yield next(found), slot
    next(found, None)


def scheduled(deployment: Deployment, job_id: str) -> Job:
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        job = deployment.container.jobs.store.get(job_id)
        if job is not None and job.finished:
            return job
        if deployment.worker.poll() is not None:
            pytest.fail(f"the worker exited:\n{deployment.output()}")
        time.sleep(0.5)
    pytest.fail(f"no finished job {job_id} at the deadline:\n{deployment.output()}")


def test_the_worker_backs_up_and_verifies_on_schedule_and_feeds_the_metrics(
    deployment: tuple[Deployment, datetime],
) -> None:
    worker, slot = deployment
    job = scheduled(worker, scheduled_id(BACKUP_CREATE, slot))
    assert job.status is JobStatus.SUCCEEDED, (job.error, job.report)
    assert job.started_by == "system:scheduler"
    assert job.report is not None
    assert job.report["backups_valid"] == 1
    restore = job.report["restore_test"]
    assert isinstance(restore, dict)
    assert restore["ok"] is True
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=worker.env["PRICING_METRICS_DIR"])  # type: ignore[no-untyped-call]  # untyped upstream
    text = generate_latest(registry).decode()
    assert 'backup_last_verification_timestamp_seconds{result="success"}' in text
    assert "backup_restore_test_success 1.0" in text
    assert "backups_invalid 0.0" in text
