"""A market refresh started by `pricing market refresh` (no --wait, a broker configured) is
run by the `pricing worker` subprocess over Redis: the good drop folder imports, the broken
one is reported by line, and `--wait` follows a second refresh to its report."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from pricing_api.cli import cli
from pricing_core.jobs.model import JobStatus
from tests.e2e.worker.conftest import Deployment, open_deployment, redis_broker_url

HEADER = (
    "job_code,job_title,area_code,industry_code,currency,effective_date,"
    "p10,p25,p50,p75,p90,pay_period,incumbents,organizations\n"
)


@pytest.fixture
def deployment(tmp_path: Path) -> Iterator[Deployment]:
    """The worker on the test run's own Redis database (PRICING_TEST_REDIS_URL), not the
    shared broker database 9, which other runs on the same server may be consuming."""
    own = os.environ.get("PRICING_TEST_REDIS_URL") or redis_broker_url()  # noqa: TID251
    yield from open_deployment(tmp_path, own)


def _put(deployment: Deployment, source: str, name: str, text: str, toml: str = "") -> None:
    folder = Path(deployment.env["PRICING_DATA_DIR"]) / "market-drop" / source
    folder.mkdir(parents=True, exist_ok=True)
    if toml:
        (folder / "source.toml").write_text(toml)
    (folder / name).write_text(text)


def test_the_worker_runs_a_refresh_started_from_the_command_line(
    deployment: Deployment,
) -> None:
    _put(
        deployment,
        "sg-areas",
        "sg.csv",
        "code,name,kind,parent\nSG,Singapore,national,\n",
        'kind = "areas"\n',
    )
    _put(
        deployment,
        "mercer-2025",
        "m.csv",
        HEADER + "ENG-1,Engineer,SG,,SGD,2025-11-01,,,9000,,,,,\n",
    )
    _put(
        deployment,
        "acme-2025",
        "a.csv",
        HEADER + "ENG-1,Engineer,XX,,SGD,2025-11-01,,,9000,,,,,\n",
    )

    started = CliRunner().invoke(cli, ["market", "refresh", "--json"], env=deployment.cli_env)

    assert started.exit_code == 0, started.output
    job_id = json.loads(started.stdout.splitlines()[-1])["job_id"]
    job = deployment.until(job_id, lambda found: found.finished)
    assert job.status is JobStatus.PARTIAL
    assert job.report is not None
    sources = {s["source"]: s for s in job.report["sources"]}  # type: ignore[attr-defined]
    assert sources["mercer-2025"]["status"] == "imported"
    assert sources["acme-2025"]["errors"][0]["line"] == 2

    waited = CliRunner().invoke(
        cli, ["market", "refresh", "--wait", "--json"], env=deployment.cli_env
    )
    assert waited.exit_code == 0, waited.output
    report = json.loads(waited.stdout.splitlines()[-1])
    assert report["status"] == "succeeded"
    assert {s["status"] for s in report["sources"]} == {"no_files"}
