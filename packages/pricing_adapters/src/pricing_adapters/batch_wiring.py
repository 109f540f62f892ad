"""The `price_batch` job kind, built on the data directory's batch folders."""

from __future__ import annotations

from pathlib import Path
from typing import IO

from pricing_adapters.batch_files import BatchFolders
from pricing_adapters.jobs_wiring import JobServices
from pricing_core.access.audit import RequestInfo
from pricing_core.access.model import Principal
from pricing_core.batch.job import PRICE_BATCH, RunBatch, price_batch_kind
from pricing_core.batch.rows import PriceBatch
from pricing_core.jobs.kinds import JobKind
from pricing_core.jobs.model import Job
from pricing_core.ports import Clock
from pricing_core.requests.quote import PriceQuote

__all__ = ["batch_folders", "batch_kind", "start_batch"]


def batch_folders(data_dir: Path) -> BatchFolders:
    return BatchFolders(data_dir / "batches")


def batch_kind(data_dir: Path, price_quote: PriceQuote, clock: Clock) -> JobKind:
    run = RunBatch(
        price_batch=PriceBatch(price_quote=price_quote),
        files=batch_folders(data_dir),
        clock=clock,
    )
    return price_batch_kind(run)


def start_batch(
    jobs: JobServices,
    data_dir: Path,
    principal: Principal,
    suffix: str,
    content: IO[bytes],
    info: RequestInfo,
) -> Job:
    """Keep an uploaded table under the data directory and start the job that prices it;
    the stored file goes again when the job cannot be started (a refused caller)."""
    folders = batch_folders(data_dir)
    batch = folders.store(suffix, content)
    try:
        return jobs.start(principal, PRICE_BATCH, {"batch": batch}, info)
    except BaseException:
        folders.remove(batch)
        raise
