"""Checklist 5: a burst of logins (argon2id, ~45 ms of CPU each) does not stall the server.
A real uvicorn server in its own process; /health is polled throughout the burst and must
answer 200 every time, while every login succeeds. How fast it answers is a benchmark's
figure, not a test's (scripts/bench_storm.py, `nox -s bench`): a shared machine's load
would make a time bound fail here for reasons of its own."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.access.conftest import DEFAULT_KEYS
from tests.e2e.access.storm_app import STORM_EMAIL, STORM_PASSWORD

HERE = Path(__file__).parent
LOGINS = 20


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    env = {
        **os.environ,  # noqa: TID251 - the child needs PATH and the virtualenv
        "PRICING_DATABASE_URL": "memory://",
        "PRICING_DATA_DIR": str(tmp_path),
        "PRICING_BUNDLED_DATA": "false",
        "PRICING_JWT_KEYS": DEFAULT_KEYS,
        "PRICING_RATE_LIMIT_ENABLED": "false",  # 20 logins from one address: not this test
        "PRICING_LOG_LEVEL": "WARNING",
    }
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "storm_app:build",
        "--app-dir",
        str(HERE),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    process = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        # A session of its own: with the kernel's autogroup scheduling the server then gets
        # a CPU share of its own instead of sharing the test process's.
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(base, process)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_serving(base: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(
                f"server exited: {process.stderr.read() if process.stderr else ''}"
            )
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError("server did not start within 30 s")


async def storm(base: str) -> tuple[list[int], list[int]]:
    """LOGINS logins at once while /health is polled; the statuses of both."""
    body = {"email": STORM_EMAIL, "password": STORM_PASSWORD}
    limits = httpx.Limits(max_connections=LOGINS + 5)
    async with (
        httpx.AsyncClient(base_url=base, timeout=30) as probe,
        httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as clients,
    ):
        await clients.post("/api/v1/auth/login", json=body)  # warm up the login path
        for _ in range(5):
            await probe.get("/health")
        polls: list[int] = []
        running = True

        async def poll() -> None:
            while running:
                polls.append((await probe.get("/health")).status_code)
                await asyncio.sleep(0.002)

        poller = asyncio.create_task(poll())
        answers = await asyncio.gather(
            *(clients.post("/api/v1/auth/login", json=body) for _ in range(LOGINS))
        )
        running = False
        await poller
    return [a.status_code for a in answers], polls


def test_health_answers_throughout_a_login_storm(server: str) -> None:
    logins, polls = asyncio.run(storm(server))
    assert logins == [200] * LOGINS
    assert polls  # the poller ran while the logins were in flight
    assert set(polls) == {200}
