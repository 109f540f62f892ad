"""Schemathesis against a real `pricing serve` (uvicorn) process, every check, as an admin.

The in-process run (tests/e2e/api/test_schemathesis.py) covers each role with few examples;
this one meets what only a live server shows (a header uvicorn or Litestar adds, a 405 on an
undeclared method, the body decoder's errors) with enough examples per operation to find the
schema and the server disagreeing. It starts the server on a free port over a temporary
SQLite data directory, creates an administrator with `pricing users create-admin`, logs in,
and runs `schemathesis run` with the admin's token; the exit code is Schemathesis'.

Two choices of the run, and why:
- A schema-valid request may still break a rule the schema cannot state (an area that does
  not exist, a wrong current password, a comment a rejection needs): the API answers those
  422, documented on every route, so `positive_data_acceptance` expects 422 too. A 400 for a
  schema-valid request (the schema looser than the server) still fails the run.
- POST /api/v1/auth/logout would revoke the shared token, and changing the password would
  end every session: both are left out here (the in-process run covers logout, each case
  with a session of its own).

Run with `uv run nox -s schemathesis`, or `uv run python scripts/schemathesis_live.py [ARGS]`
(ARGS go to `schemathesis run`, e.g. `-n 100`).
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

PRICING = str(Path(sys.executable).with_name("pricing"))  # this environment's command
EXAMPLES = 25  # per operation and phase: enough to find each class of disagreement
SEED = 26
EMAIL = "schemathesis-admin@example.com"
LEFT_OUT = ("/api/v1/auth/logout", "/api/v1/auth/me/change-password")
CONFIG = """
seed = {seed}
workers = 1
[generation]
mode = "all"
max-examples = {examples}
[checks.positive_data_acceptance]
expected-statuses = ["2xx", "401", "403", "404", "409", "415", "422", "429"]
"""
UNLIMITED = ",".join(
    f"{who}=unlimited"
    for who in ("ADMIN", "HR_MANAGER", "HR_ANALYST", "VIEWER", "anonymous", "auth")
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _environment(data_dir: Path) -> dict[str, str]:
    return {
        **os.environ,  # noqa: TID251 - the children need PATH and the virtualenv
        "PRICING_DATA_DIR": str(data_dir),
        "PRICING_DATABASE_URL": f"sqlite:///{data_dir}/pricing.db",
        "PRICING_RATE_LIMITS": UNLIMITED,  # thousands of requests from one address
        # /metrics answers this host without a token by default: ask for the token, so that
        # the ignored-authentication check meets a route that needs credentials.
        "PRICING_METRICS_NETWORKS": "none",
        "PRICING_METRICS_TOKEN": secrets.token_urlsafe(24),
        "PRICING_LOG_LEVEL": "WARNING",
    }


def _pricing(env: dict[str, str], *args: str, stdin: str = "") -> None:
    subprocess.run(
        [PRICING, *args],
        env=env,
        input=stdin,
        text=True,
        check=True,
        stdout=subprocess.DEVNULL,
    )


@contextmanager
def serving(env: dict[str, str]) -> Iterator[str]:
    """`pricing serve` on a free port until the block ends; yields its base URL."""
    port = _free_port()
    command = [PRICING, "serve", "--port", str(port)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"pricing serve did not start (exit code {process.poll()})")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def run(extra: list[str]) -> int:
    password = secrets.token_urlsafe(24)
    with tempfile.TemporaryDirectory(prefix="pricing-schemathesis-") as folder:
        env = _environment(Path(folder))
        _pricing(env, "users", "create-admin", EMAIL, "--name", "Schemathesis", stdin=password)
        config = Path(folder) / "schemathesis.toml"
        config.write_text(CONFIG.format(seed=SEED, examples=EXAMPLES))
        with serving(env) as base:
            login = httpx.post(
                f"{base}/api/v1/auth/login", json={"email": EMAIL, "password": password}
            )
            login.raise_for_status()
            token = login.json()["access_token"]
            command = [
                sys.executable,
                "-m",
                "schemathesis.cli",
                "--config-file",
                str(config),
                "run",
                f"{base}/schema/openapi.json",
                "--checks",
                "all",
                "--header",
                f"Authorization: Bearer {token}",
                "--no-color",
                *(arg for path in LEFT_OUT for arg in ("--exclude-path", path)),
                *extra,
            ]
            # In the temporary folder: Schemathesis keeps a cache of past cases in its working
            # directory, and each run starts from none.
            return subprocess.run(command, env=env, cwd=folder, check=False).returncode


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
