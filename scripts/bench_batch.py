"""Batch pricing benchmark: a 10,000-row catalogue priced by the `price_batch` job, rows/s.

The embedded default: memory stores with the shipped extract, the job run by this process's
job thread (as `pricing serve` runs it without a broker), the upload and the result under a
temporary data directory. Half the rows give a title (matched, then priced), half a match;
areas are random, so fallbacks count. The test suite checks the behaviour
(tests/e2e/api/test_batches.py); the speed is this benchmark's.

Run alone: `uv run python scripts/bench_batch.py`; scripts/bench.py writes its table.
"""

from __future__ import annotations

import csv
import io
import random
import sys
import tempfile
import time
from pathlib import Path

ROWS = 10_000
TITLES = ["Software Developer", "Registered Nurse", "Accountant", "Electrician", "Cashier"]
JOBS = ["15-1252", "29-1141", "13-2011", "47-2111", "41-2011"]

__all__ = ["run", "table"]


def _catalogue(areas: list[str]) -> bytes:
    rng = random.Random(14)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["title", "match", "area", "date"])
    for i in range(ROWS):
        title = rng.choice(TITLES) if i % 2 else ""
        match = "" if i % 2 else f"oews-2025:{rng.choice(JOBS)}"
        writer.writerow([title, match, rng.choice(areas), "2026-01-01"])
    return out.getvalue().encode()


def run() -> dict[str, float]:
    from pricing_adapters.batch_wiring import start_batch
    from pricing_adapters.bootstrap import build_container
    from pricing_adapters.prepare import prepare
    from pricing_adapters.settings import Settings
    from pricing_core.access.audit import RequestInfo
    from pricing_core.access.system import CLI_PRINCIPAL

    with tempfile.TemporaryDirectory(prefix="pricing-bench-batch-") as folder:
        settings = Settings.from_env(
            {"PRICING_DATABASE_URL": "memory://", "PRICING_DATA_DIR": folder}
        )
        services = build_container(settings)
        prepare(services)
        services.title_matcher()  # the index is built once per process, not per batch
        areas = [a.code for a in services.market.areas()]
        content = io.BytesIO(_catalogue(areas))
        began = time.perf_counter()
        job = start_batch(
            services.jobs, Path(folder), CLI_PRINCIPAL, ".csv", content, RequestInfo()
        )
        services.jobs.wait()
        seconds = time.perf_counter() - began
        ended = services.jobs.store.get(job.id)
        assert ended is not None
        assert ended.report is not None, ended
        rows = float(str(ended.report["rows"]))
        return {
            "rows": rows,
            "failed": float(str(ended.report["failed"])),
            "seconds": seconds,
            "rows_per_second": rows / seconds,
        }


def table(f: dict[str, float]) -> list[str]:
    """The docs/benchmarks.md section."""
    return [
        "## Batch pricing (the `price_batch` job, embedded job thread)",
        "",
        f"{f['rows']:,.0f} catalogue rows (half titles, half matches, random areas) uploaded,",
        "priced and written as CSV, XLSX and JSON.",
        "",
        "| rows | failed | seconds | rows/s |",
        "|---|---|---|---|",
        f"| {f['rows']:,.0f} | {f['failed']:,.0f} | {f['seconds']:.1f} s "
        f"| {f['rows_per_second']:,.0f} |",
        "",
    ]


if __name__ == "__main__":
    figures = run()
    print("\n".join(table(figures)))
    sys.exit(0)
