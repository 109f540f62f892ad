"""The `price_batch` job kind, built on the data directory's batch folders."""

from __future__ import annotations

from pathlib import Path

from pricing_adapters.batch_files import BatchFolders
from pricing_core.batch.job import RunBatch, price_batch_kind
from pricing_core.batch.rows import PriceBatch
from pricing_core.jobs.kinds import JobKind
from pricing_core.ports import Clock
from pricing_core.requests.quote import PriceQuote

__all__ = ["batch_folders", "batch_kind"]


def batch_folders(data_dir: Path) -> BatchFolders:
    return BatchFolders(data_dir / "batches")


def batch_kind(data_dir: Path, price_quote: PriceQuote, clock: Clock) -> JobKind:
    run = RunBatch(
        price_batch=PriceBatch(price_quote=price_quote),
        files=batch_folders(data_dir),
        clock=clock,
    )
    return price_batch_kind(run)
