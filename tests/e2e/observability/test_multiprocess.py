"""Metrics across API processes: two real uvicorn servers share one metrics folder.

A known number of requests goes to each; either server's /metrics then shows the sums,
and the exposition passes `promtool check metrics`. One server is given the folder as
PRICING_METRICS_DIR, the other as prometheus_client's own PROMETHEUS_MULTIPROC_DIR.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from pricing_adapters.bootstrap import build_container
from pricing_adapters.prepare import prepare
from pricing_adapters.settings import Settings
from pricing_api.cli import cli
from pricing_core.market.model import Area
from tests.adapters.observability.conftest import run_promtool, samples, value

SURVEY = (
    "job_code,job_title,area_code,industry_code,currency,effective_date,"
    "p10,p25,p50,p75,p90,pay_period,incumbents,organizations\n"
    "ENG-SWE-P3,Software Engineer III,0600000,,USD,2025-11-01,,,15000,,,monthly,120,12\n"
)
AREAS = (
    Area(code="0000000", name="U.S.", kind="national"),
    Area(code="0600000", name="California", kind="state", parent="0000000"),
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until_serving(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the server stopped: {log.read_text()[-3000:]}")
        try:
            # Probing /schema keeps the counted routes' figures exact.
            if httpx.get(f"{url}/schema/openapi.json", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    pytest.fail(f"no answer from {url}: {log.read_text()[-3000:]}")


@pytest.fixture
def two_servers(tmp_path: Path) -> Iterator[tuple[str, str, Path]]:
    """Two API processes on one SQLite database and one metrics folder: their URLs and it."""
    metrics_dir = tmp_path / "metrics"
    base = {
        "PRICING_DATA_DIR": str(tmp_path / "data"),
        "PRICING_DATABASE_URL": f"sqlite:///{tmp_path / 'pricing.db'}",
        "PRICING_BUNDLED_DATA": "false",
        "PRICING_LOG_FORMAT": "json",
    }
    # Migrate, key and seed once, as `pricing serve` does before its workers start.
    container = build_container(Settings.from_env(base))
    prepare(container)
    container.market_loader.save_areas(AREAS)
    survey = tmp_path / "mercer-2025.csv"
    survey.write_text(SURVEY)
    result = CliRunner().invoke(
        cli,
        ["market", "import-survey", str(survey), "--source", "mercer-2025", "--json"],
        obj=container,
    )
    assert result.exit_code == 0, result.output
    assert container.engine is not None
    container.engine.dispose()
    inherited = os.environ.items()  # noqa: TID251 - the servers' environment, minus settings
    environ = {k: v for k, v in inherited if not k.startswith(("PRICING_", "PROMETHEUS"))}
    variables = ("PRICING_METRICS_DIR", "PROMETHEUS_MULTIPROC_DIR")
    servers, urls = [], []
    for n, variable in enumerate(variables):
        port = free_port()
        log = tmp_path / f"server-{n}.log"
        env = {**environ, **base, variable: str(metrics_dir)}
        command = [
            *(sys.executable, "-m", "uvicorn", "--factory", "pricing_api.http.asgi:build"),
            *("--host", "127.0.0.1", "--port", str(port), "--no-access-log"),
        ]
        with log.open("wb") as output:
            servers.append(
                subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
            )
        urls.append(f"http://127.0.0.1:{port}")
        wait_until_serving(urls[-1], servers[-1], log)
    try:
        yield urls[0], urls[1], metrics_dir
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def test_metrics_add_up_over_two_processes(
    two_servers: tuple[str, str, Path], promtool: str
) -> None:
    first, second, metrics_dir = two_servers
    with httpx.Client(timeout=10) as client:
        for _ in range(7):
            assert client.get(f"{first}/health").status_code == 200
        for _ in range(5):
            assert client.get(f"{second}/health").status_code == 200
        for _ in range(3):
            assert client.get(f"{second}/no/such/page").status_code == 404
        for url in (first, second):
            login = {"email": "nobody@example.com", "password": "x" * 20}
            assert client.post(f"{url}/api/v1/auth/login", json=login).status_code == 401
        scrapes = [client.get(f"{url}/metrics") for url in (first, second)]
    pids = {path.stem.rsplit("_", 1)[-1] for path in metrics_dir.glob("counter_*.db")}
    assert len(pids) >= 2, "the requests did not reach two processes"
    for scrape in scrapes:
        assert scrape.status_code == 200
        text = scrape.text
        health = {"method": "GET", "endpoint": "/health"}
        assert value(text, "http_requests_total", **health, status_code="200") == 12
        assert value(text, "http_request_duration_seconds_count", **health) == 12
        unmatched = {"method": "GET", "endpoint": "unmatched", "status_code": "404"}
        assert value(text, "http_requests_total", **unmatched) == 3
        assert value(text, "login_failures_total") == 2
        # Each login counted against its quotas; probes and unmatched paths were not.
        assert value(text, "rate_limit_decisions_total", outcome="allowed") == 2
        assert value(text, "rate_limiter_degraded") == 0
        assert value(text, "http_requests_in_progress") == 1  # the scrape being answered
        age = value(text, "market_data_version_age_seconds", source="mercer-2025")
        assert age is not None
        assert 0 <= age < 600
        shapes = [k for k in samples(text) if k[0] == "db_query_duration_seconds_count"]
        assert shapes, "no statement timings"
    run_promtool(promtool, "check", "metrics", stdin=scrapes[0].content)
