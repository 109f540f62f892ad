"""Gear for the worker over real brokers: `pricing worker` as a subprocess on a SQLite file.

`deployment(broker_url)` prepares the database, starts `pricing worker --processes 1`
against the broker (Redis db 9 of PRICING_TEST_REDIS_URL's server, flushed first, or
RabbitMQ) and gives the test a container on the same database and broker, the environment
for the command line, and the worker process to kill. Waiting is polling with a generous
deadline: no test asserts how long anything took.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

from pricing_adapters.bootstrap import Container, build_container
from pricing_adapters.prepare import prepare
from pricing_adapters.settings import Settings
from pricing_core.jobs.model import Job

DEADLINE = 90.0  # seconds: a loaded machine is slow, a broken worker never gets there
RABBITMQ_URL = "amqp://guest:guest@127.0.0.1:5672/"


@attrs.define
class Deployment:
    # The worker's environment; `cli_env` is the command line's in this test process,
    # without the metrics folder (multiprocess mode is a process-wide switch).
    env: dict[str, str]
    cli_env: dict[str, str]
    container: Container
    worker: subprocess.Popen[bytes]
    log: Path

    def job(self, job_id: str) -> Job:
        found = self.container.jobs.store.get(job_id)
        assert found is not None
        return found

    def until(self, job_id: str, done: Callable[[Job], bool]) -> Job:
        deadline = time.monotonic() + DEADLINE
        while time.monotonic() < deadline:
            job = self.job(job_id)
            if done(job):
                return job
            if self.worker.poll() is not None:
                pytest.fail(f"the worker exited ({self.worker.returncode}):\n{self.output()}")
            time.sleep(0.2)
        pytest.fail(f"job {job_id} is {self.job(job_id).status} at the deadline:\n{self.output()}")

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def kill(self) -> None:
        """SIGKILL the worker and every process it forked: nothing gets to clean up."""
        os.killpg(self.worker.pid, signal.SIGKILL)
        self.worker.wait()


def redis_broker_url() -> str:
    base = os.environ.get("PRICING_TEST_REDIS_URL") or "redis://127.0.0.1:6379/8"  # noqa: TID251
    return base.rsplit("/", 1)[0] + "/9"


def _answers(broker_url: str) -> None:
    if broker_url.startswith("redis"):
        import redis

        client = redis.Redis.from_url(broker_url, socket_connect_timeout=1)
        try:
            client.flushdb()
        except redis.RedisError as error:
            pytest.fail(f"no Redis at {broker_url} ({type(error).__name__})")
        finally:
            client.close()
        return
    import pika  # type: ignore[import-untyped]  # ships no type hints

    try:
        connection = pika.BlockingConnection(pika.URLParameters(broker_url))
    except Exception as error:
        pytest.fail(f"no RabbitMQ at {broker_url} ({type(error).__name__})")
    channel = connection.channel()
    for queue in ("jobs", "jobs.DQ", "jobs.XQ"):
        channel.queue_delete(queue)
    connection.close()


def open_deployment(tmp_path: Path, broker_url: str, **extra: str) -> Iterator[Deployment]:
    _answers(broker_url)
    env = {
        "PRICING_DATA_DIR": str(tmp_path / "data"),
        "PRICING_DATABASE_URL": f"sqlite:///{tmp_path / 'pricing.db'}",
        "PRICING_BUNDLED_DATA": "false",
        "PRICING_BROKER_URL": broker_url,
        "PRICING_METRICS_DIR": str(tmp_path / "metrics"),
        "PRICING_LOG_FORMAT": "json",
        **extra,
    }
    (tmp_path / "metrics").mkdir()
    settings = Settings.from_env({k: v for k, v in env.items() if k != "PRICING_METRICS_DIR"})
    container = build_container(settings)
    prepare(container)
    log = tmp_path / "worker.log"
    full_env: dict[str, Any] = {**os.environ, **env}  # noqa: TID251 - the child's environment
    with log.open("wb") as out:
        worker = subprocess.Popen(
            [sys.executable, "-m", "pricing_api", "worker", "--processes", "1", "--threads", "2"],
            env=full_env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, to kill with its children
        )
    cli_env = {k: v for k, v in env.items() if k != "PRICING_METRICS_DIR"}
    deployment = Deployment(env=env, cli_env=cli_env, container=container, worker=worker, log=log)
    try:
        yield deployment
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                deployment.kill()
        if container.engine is not None:
            container.engine.dispose()


@pytest.fixture
def redis_deployment(tmp_path: Path) -> Iterator[Deployment]:
    yield from open_deployment(tmp_path, redis_broker_url())


@pytest.fixture
def rabbitmq_deployment(tmp_path: Path) -> Iterator[Deployment]:
    yield from open_deployment(tmp_path, RABBITMQ_URL)
