"""A batch uploaded to a deployment with a broker is priced by `pricing worker` over Redis."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner

from pricing_adapters.batch_wiring import batch_folders, start_batch
from pricing_api.cli import cli
from pricing_core.access.audit import RequestInfo
from pricing_core.access.system import CLI_PRINCIPAL
from pricing_core.batch.rows import row_inputs
from pricing_core.jobs.model import JobStatus
from tests.e2e.api.conftest import AREAS, SURVEY
from tests.e2e.worker.conftest import Deployment

CATALOGUE = (
    "match,area,note\n"
    "mercer-2025:ENG-SWE-P3,0041940,kept\n"
    "mercer-2025:ENG-SWE-P3:great,0041940,bad quality\n"
    "mercer-2025:ENG-SWE-P2,California,state\n"
)


def test_a_batch_is_priced_by_the_worker_over_redis(
    redis_deployment: Deployment, tmp_path: Path
) -> None:
    redis_deployment.container.market_loader.save_areas(AREAS)
    survey = tmp_path / "mercer.csv"
    survey.write_text(SURVEY)
    imported = CliRunner().invoke(
        cli,
        [
            "market",
            "import-survey",
            str(survey),
            "--source",
            "mercer-2025",
            "--pay-period",
            "monthly",
        ],
        env=redis_deployment.cli_env,
    )
    assert imported.exit_code == 0, imported.output
    data_dir = Path(redis_deployment.env["PRICING_DATA_DIR"])
    job = start_batch(
        redis_deployment.container.jobs,
        data_dir,
        CLI_PRINCIPAL,
        ".csv",
        io.BytesIO(CATALOGUE.encode()),
        RequestInfo(),
    )
    ended = redis_deployment.until(job.id, lambda found: found.finished)
    assert ended.status is JobStatus.PARTIAL, ended.error
    assert ended.report is not None
    assert (ended.report["rows"], ended.report["failed"]) == (3, 1)
    batch = str(ended.payload["batch"])
    result = batch_folders(data_dir).result(batch, "csv").read_text()
    rows = list(csv.DictReader(io.StringIO(result)))
    assert [r["note"] for r in rows] == ["kept", "bad quality", "state"]
    single = redis_deployment.container.price_quote(CLI_PRINCIPAL, row_inputs(rows[0]))
    assert Decimal(rows[0]["market_rate"]) == Decimal(str(single.as_json()["market_rate"]))
    assert rows[1]["error"].startswith("match:")
    assert rows[2]["area_code"] == "0600000"
