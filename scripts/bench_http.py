"""HTTP benchmark: POST /api/v1/pricing/quote through a real uvicorn server, authenticated,
next to a bare Litestar endpoint answering a constant JSON, in the same run, on SQLite and on
PostgreSQL. The figure is the ratio of the two throughputs.

Each server is one uvicorn process on 127.0.0.1 (the API as `pricing serve` runs it, through
`pricing_api.http.asgi:build`: request logging, the rate limiter and the access checks on),
driven by an httpx client with CONCURRENCY requests in flight, REQUESTS of them after a
warm-up. The quotes are one-match quotes of a fixed random mix of jobs and areas that price
(fallbacks included); the caller is an ADMIN (no rate limit), with a bearer token that every
request verifies, revocation check included.

Run alone: `uv run python scripts/bench_http.py`; scripts/bench.py writes its table.
"""

from __future__ import annotations

import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from litestar import Litestar, get

SCRIPTS = Path(__file__).resolve().parent
ROUNDS = 3  # bare and quote alternate, so that both meet the same background load
REQUESTS = 1000  # measured per round and endpoint
WARMUP = 200
CONCURRENCY = 8
PASSWORD = "benchmark password, long enough"  # a throwaway account's
JOBS = ("15-1252", "29-1141", "13-1141", "11-1021", "43-4051", "47-2111", "13-2011", "29-1211")

__all__ = ["bare_app", "run", "table"]


def bare_app() -> Litestar:
    """The baseline: one route, a constant JSON, no guard, no middleware (`--factory`)."""

    @get("/constant", sync_to_thread=False)
    def constant() -> dict[str, object]:
        return {"status": "ok", "market_rate": 217184.13, "currency": "USD"}

    return Litestar([constant], debug=False)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serving(factory: str, env: dict[str, str], probe: str) -> Iterator[str]:
    """A uvicorn process serving `factory` until the block ends; yields its base URL."""
    port = _free_port()
    command = [sys.executable, "-m", "uvicorn", "--factory", factory, "--app-dir", str(SCRIPTS)]
    command += ["--host", "127.0.0.1", "--port", str(port), "--no-access-log"]
    command += ["--log-level", "warning"]
    process = subprocess.Popen(
        command,
        env={**os.environ, **env},  # noqa: TID251 - the server inherits PATH and the like
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.perf_counter() + 120
        while True:
            try:
                if httpx.get(base + probe, timeout=2).status_code < 500:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.perf_counter() > deadline:
                raise RuntimeError(f"{factory} did not start (exit code {process.poll()})")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


async def _hammer(
    base: str, path: str, bodies: list[Any] | None, headers: dict[str, str], warmup: int
) -> tuple[float, list[float], int]:
    """(requests per second, latencies in ms, non-200 answers) of REQUESTS requests."""
    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
    timings: list[float] = []
    failures = 0
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=30) as c:

        async def one(i: int, record: bool) -> None:
            nonlocal failures
            started = time.perf_counter()
            if bodies is None:
                response = await c.get(path)
            else:
                response = await c.post(path, json=bodies[i % len(bodies)])
            if record:
                timings.append((time.perf_counter() - started) * 1000)
                failures += response.status_code != 200

        async def worker(indices: list[int], record: bool) -> None:
            for i in indices:
                await one(i, record)

        async def batch(count: int, record: bool) -> float:
            lanes = [list(range(k, count, CONCURRENCY)) for k in range(CONCURRENCY)]
            started = time.perf_counter()
            await asyncio.gather(*(worker(lane, record) for lane in lanes))
            return time.perf_counter() - started

        await batch(warmup, record=False)
        seconds = await batch(REQUESTS, record=True)
    return REQUESTS / seconds, timings, failures


def _summary(rounds: list[tuple[float, list[float], int]]) -> dict[str, float]:
    """The median round's throughput; latencies of every round pooled."""
    timings = sorted(t for _, round_timings, _ in rounds for t in round_timings)
    return {
        "requests": float(len(timings)),
        "per_second": statistics.median(rate for rate, _, _ in rounds),
        "p50_ms": statistics.median(timings),
        "p99_ms": timings[int(0.99 * len(timings))],
        "failures": float(sum(failed for _, _, failed in rounds)),
    }


def _prepared(url: str, data_dir: Path) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """Migrate and seed the database (the shipped OEWS data), make an ADMIN and sign in;
    pick quotes that price. Returns (server environment, quote bodies)."""
    from pricing_adapters.bootstrap import build_container
    from pricing_adapters.prepare import prepare
    from pricing_adapters.settings import Settings
    from pricing_api.quoting import Quote, price_quote
    from pricing_core.access.audit import RequestInfo
    from pricing_core.access.model import Principal
    from pricing_core.access.roles import Role
    from pricing_core.errors import PricingError
    from pricing_core.pricing.model import Match

    # JSON request logs, as in production (the readable console format costs more).
    env = {"PRICING_DATABASE_URL": url, "PRICING_DATA_DIR": str(data_dir)}
    env["PRICING_LOG_FORMAT"] = "json"
    container = build_container(Settings.from_env(env))
    prepare(container)
    system = Principal(role=Role.ADMIN, user_id="system:bench")
    email = f"bench-{random.randrange(1 << 30)}@example.com"
    container.access.create_user(system, email, Role.ADMIN, "bench", PASSWORD, RequestInfo())
    token = container.access.login(email, PASSWORD, RequestInfo()).access_token
    areas = sorted(a.code for a in container.market.areas())
    rng = random.Random(7)
    bodies: list[dict[str, Any]] = []
    while len(bodies) < 200:
        job, area = rng.choice(JOBS), rng.choice(areas)
        quote = Quote(area=area, matches=[Match(source="oews-2025", job_code=job)])
        try:
            price_quote(container, system, quote)
        except PricingError:
            continue
        bodies.append({"matches": [{"source": "oews-2025", "job_code": job}], "area": area})
    if container.engine is not None:
        container.engine.dispose()
    return {**env, "BENCH_TOKEN": token}, bodies


def one_backend(url: str, data_dir: Path) -> dict[str, float]:
    env, bodies = _prepared(url, data_dir)
    headers = {"Authorization": f"Bearer {env.pop('BENCH_TOKEN')}"}
    quotes, bares = [], []
    with (
        serving("pricing_api.http.asgi:build", env, "/health") as api,
        serving("bench_http:bare_app", {}, "/constant") as bare,
    ):
        for round_ in range(ROUNDS):
            warmup = WARMUP if round_ == 0 else 0
            bares.append(asyncio.run(_hammer(bare, "/constant", None, {}, warmup)))
            quote = _hammer(api, "/api/v1/pricing/quote", bodies, headers, warmup)
            quotes.append(asyncio.run(quote))
    quote_figures, bare_figures = _summary(quotes), _summary(bares)
    return {
        **{f"quote_{k}": v for k, v in quote_figures.items()},
        **{f"bare_{k}": v for k, v in bare_figures.items()},
        "ratio": quote_figures["per_second"] / bare_figures["per_second"],
    }


def run() -> dict[str, dict[str, float]]:
    """Figures per database; PostgreSQL is skipped (and said so) when it does not answer."""
    import bench_import

    figures = {}
    with tempfile.TemporaryDirectory() as folder:
        print("HTTP quotes on SQLite …")
        figures["sqlite"] = one_backend(f"sqlite:///{folder}/bench.db", Path(folder))
    try:
        with bench_import.postgres_database() as url, tempfile.TemporaryDirectory() as folder:
            print("HTTP quotes on PostgreSQL …")
            figures["postgresql"] = one_backend(url, Path(folder))
    except Exception as error:  # the report says PostgreSQL was not measured, and why
        print(f"PostgreSQL not measured: {error}")
    return figures


def table(figures: dict[str, dict[str, float]]) -> list[str]:
    """The docs/benchmarks.md section."""
    lines = [
        "## Quotes over HTTP (uvicorn, authenticated) against a bare Litestar endpoint",
        "",
        "One uvicorn process per endpoint on 127.0.0.1, driven by an httpx client with",
        f"{CONCURRENCY} requests in flight: {ROUNDS} rounds of {REQUESTS:,} requests per endpoint,",
        f"alternating, after {WARMUP} warm-up requests each; req/s is the median round and the",
        "latencies pool every round. The quote route runs as deployed",
        "(`pricing_api.http.asgi:build`): bearer token verified and its revocation checked,",
        "rate limiter (ADMIN: unlimited; in memory, no Redis), one JSON log line per request;",
        "one match from a fixed mix of jobs and areas (fallbacks included). The bare endpoint",
        "answers a constant JSON with no guard or middleware, in the same run on the same",
        "machine.",
        "",
        "| database | quotes/s | p50 | p99 | bare req/s | bare p50 | bare p99 | ratio | failures |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, f in figures.items():
        lines.append(
            f"| {name} | {f['quote_per_second']:,.0f} | {f['quote_p50_ms']:.1f} ms "
            f"| {f['quote_p99_ms']:.1f} ms | {f['bare_per_second']:,.0f} "
            f"| {f['bare_p50_ms']:.1f} ms | {f['bare_p99_ms']:.1f} ms | {f['ratio']:.2f} "
            f"| {f['quote_failures'] + f['bare_failures']:.0f} |"
        )
    lines += ["", "Target: quotes/s ≥ 0.5 × the bare endpoint's requests/s.", ""]
    return lines


if __name__ == "__main__":
    sys.path.insert(0, str(SCRIPTS))
    print("\n".join(table(run())))
