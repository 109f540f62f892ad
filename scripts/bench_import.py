"""Import and price benchmarks on the real databases: the whole OEWS file into PostgreSQL
and SQLite next to a plain COPY / executemany of the same rows, and price latency from each.
"""

from __future__ import annotations

import contextlib
import io
import os
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from rich.progress import track
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from pricing_adapters.bootstrap import build_container
from pricing_adapters.clock import SystemClock
from pricing_adapters.importers.oews_sqlite import open_oews_sqlite
from pricing_adapters.settings import Settings
from pricing_adapters.sql.engine import make_engine, normalise_url
from pricing_adapters.sql.loader import SqlMarketLoader
from pricing_adapters.sql.market import SqlMarketRepository
from pricing_adapters.sql.migrate import upgrade
from pricing_core.errors import PricingError
from pricing_core.pricing.model import Match, PricingRequest

ROOT = Path(__file__).resolve().parents[1]
OEWS = ROOT.parent / "shared/data/oews/oews-2025.sqlite.gz"
POSTGRES = os.environ.get(  # noqa: TID251 - a benchmark's own configuration
    "PRICING_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


@contextmanager
def postgres_database() -> Iterator[str]:
    name = f"pricing_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(normalise_url(POSTGRES), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(normalise_url(POSTGRES)).set(database=name).render_as_string(False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def plain_copy_seconds(url: str) -> float:
    """COPY the stored rows, as text already in memory, into a table with the same key."""
    engine = make_engine(url)
    with engine.begin() as conn:
        pg: Any = conn.connection.dbapi_connection
        buffer = io.BytesIO()
        with pg.cursor() as cur, cur.copy("COPY market_cuts TO STDOUT") as copy:
            for block in copy:
                buffer.write(block)
        conn.exec_driver_sql("CREATE TABLE copy_probe (LIKE market_cuts INCLUDING ALL)")
        started = time.perf_counter()
        with pg.cursor() as cur, cur.copy("COPY copy_probe FROM STDIN") as copy:
            copy.write(buffer.getvalue())
        seconds = time.perf_counter() - started
        conn.exec_driver_sql("DROP TABLE copy_probe")
    engine.dispose()
    return seconds


def plain_insert_seconds(url: str) -> float:
    """executemany of the stored rows, already tuples in memory, into a table with the same key."""
    engine = make_engine(url)
    with engine.begin() as conn:
        rows = conn.exec_driver_sql("SELECT * FROM market_cuts").fetchall()
        ddl = conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE name = 'market_cuts'"
        ).scalar_one()
        conn.exec_driver_sql(ddl.replace("market_cuts", "copy_probe", 1))
        marks = ", ".join("?" * len(rows[0]))
        started = time.perf_counter()
        conn.exec_driver_sql(f"INSERT INTO copy_probe VALUES ({marks})", [tuple(r) for r in rows])
        seconds = time.perf_counter() - started
        conn.exec_driver_sql("DROP TABLE copy_probe")
    engine.dispose()
    return seconds


def price_latency(url: str, samples: int = 2000) -> tuple[float, float]:
    settings = Settings.from_env({"PRICING_DATABASE_URL": url, "PRICING_BUNDLED_DATA": "false"})
    container = build_container(settings)
    jobs = ["15-1252", "29-1141", "13-1141", "11-1021", "43-4051", "47-2111", "11-1011"]
    areas = [a.code for a in container.market.areas()]
    rng = random.Random(7)
    timings = []
    for _ in track(range(samples), description=f"pricing ({make_url(url).get_backend_name()})"):
        request = PricingRequest(
            matches=[Match(source="oews-2025", job_code=rng.choice(jobs))],
            area=rng.choice(areas),
            pricing_date=date(2026, 1, 1),
        )
        started = time.perf_counter()
        with contextlib.suppress(PricingError):
            container.price_job(request, container.policies.current())
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(0.99 * len(timings))]


def one_backend(url: str) -> dict[str, float]:
    engine = make_engine(url)
    upgrade(engine)
    reader = SqlMarketRepository(engine)
    loader = SqlMarketLoader(engine, SystemClock(), reader)
    report = loader.load(open_oews_sqlite(OEWS), imported_by="bench")
    engine.dispose()
    backend = make_url(url).get_backend_name()
    baseline = plain_copy_seconds(url) if backend == "postgresql" else plain_insert_seconds(url)
    p50, p99 = price_latency(url)
    return {
        "rows": report.rows,
        "seconds": report.seconds,
        "rows_per_second": report.rows_per_second,
        "baseline_rows_per_second": report.rows / baseline,
        "price_p50_ms": p50,
        "price_p99_ms": p99,
    }


def run() -> dict[str, dict[str, float]]:
    """Figures per backend; PostgreSQL is skipped (and said so) when it does not answer."""
    figures = {}
    with tempfile.TemporaryDirectory() as folder:
        print("importing OEWS into SQLite …")
        figures["sqlite"] = one_backend(f"sqlite:///{folder}/bench.db")
    try:
        with postgres_database() as url:
            print("importing OEWS into PostgreSQL …")
            figures["postgresql"] = one_backend(url)
    except Exception as error:  # the report says PostgreSQL was not measured, and why
        print(f"PostgreSQL not measured: {error}")
    return figures


if __name__ == "__main__":
    for name, values in run().items():
        print(name, {k: round(v, 3) for k, v in values.items()})
