"""Several API workers starting at once on an empty PostgreSQL database (`uvicorn --workers
4`): each prepares it, one at a time, and every one of them starts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pricing_adapters.sql.engine import make_engine
from pricing_adapters.sql.migrate import current_revision, head_revision

WORKER = """
import sys
from pathlib import Path
from pricing_adapters.bootstrap import build_container
from pricing_adapters.prepare import prepare
from pricing_adapters.settings import Settings

env = {"PRICING_DATABASE_URL": sys.argv[1], "PRICING_DATA_DIR": sys.argv[2],
       "PRICING_BUNDLED_DATA": "false"}
prepare(build_container(Settings.from_env(env)))
print("started")
"""


def test_four_workers_prepare_one_empty_database(postgres_url: str, tmp_path: Path) -> None:
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, postgres_url, str(tmp_path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outcomes = [worker.communicate(timeout=120) for worker in workers]
    assert [out.strip() for out, _ in outcomes] == ["started"] * 4, [e for _, e in outcomes]
    engine = make_engine(postgres_url)
    assert current_revision(engine) == head_revision()
    engine.dispose()
