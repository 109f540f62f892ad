"""The `price_batch` job: a stored upload priced by `PriceBatch`, its result stored beside it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Protocol

import attrs

from pricing_core.access.model import Principal
from pricing_core.access.roles import Permission, Role
from pricing_core.batch.rows import BatchSummary, Cell, PriceBatch, output_columns
from pricing_core.errors import Conflict, InvalidRequest, NotFound
from pricing_core.jobs.kinds import JobKind, JobResult
from pricing_core.jobs.model import JobStatus
from pricing_core.jobs.ports import Progress
from pricing_core.jobs.service import GetJob
from pricing_core.ports import Clock

__all__ = [
    "BATCH_ID",
    "PRICE_BATCH",
    "BatchFiles",
    "BatchResult",
    "BatchTable",
    "RunBatch",
    "price_batch_kind",
]

PRICE_BATCH = "price_batch"
BATCH_ID = re.compile(r"^[0-9a-f]{32}$")
# Who prices a batch's rows in the worker: its starter was checked when the job started.
BATCH_PRINCIPAL = Principal(role=Role.VIEWER, user_id="system:batch")
_PROGRESS_EVERY = 100  # rows between two progress writes


class BatchTable(Protocol):
    """An uploaded table: its header, how many rows follow, and the rows (read on demand)."""

    @property
    def header(self) -> Sequence[str]: ...

    @property
    def total(self) -> int:
        """How many rows follow the header, blank ones not counted."""
        ...

    def rows(self) -> AbstractContextManager[Iterable[Sequence[str]]]: ...


class BatchFiles(Protocol):
    """Where uploaded batches and their results are kept, by batch id."""

    def table(self, batch: str) -> BatchTable:
        """The batch's uploaded table; InvalidRequest("file", …) when it cannot be read."""
        ...

    def write_result(
        self, batch: str, columns: Sequence[str], rows: Iterator[Sequence[Cell]]
    ) -> None:
        """Write every row, in each result format the batch can be downloaded in."""
        ...


def check_payload(payload: Mapping[str, object]) -> Mapping[str, object]:
    for name in payload:
        if name != "batch":
            raise InvalidRequest(f"payload.{name}", "this job takes no such field")
    batch = payload.get("batch")
    if not isinstance(batch, str) or not BATCH_ID.match(batch):
        raise InvalidRequest("payload.batch", "must be the id of an uploaded batch")
    return {"batch": batch}


@attrs.frozen(kw_only=True)
class RunBatch:
    """Prices the batch's rows and stores the result; partial when any row failed."""

    price_batch: PriceBatch
    files: BatchFiles
    clock: Clock

    def __call__(self, payload: Mapping[str, object], progress: Progress) -> JobResult:
        batch = str(check_payload(payload)["batch"])
        began = self.clock.now()
        table = self.files.table(batch)
        summary = BatchSummary()
        progress(0, table.total)

        def report(done: int) -> None:
            if done % _PROGRESS_EVERY == 0:
                progress(min(done, table.total), table.total)

        with table.rows() as rows:
            priced = self.price_batch(BATCH_PRINCIPAL, table.header, rows, summary, report)
            self.files.write_result(batch, output_columns(table.header), priced)
        progress(summary.rows, max(summary.rows, table.total))
        seconds = (self.clock.now() - began).total_seconds()
        return JobResult(
            report={"rows": summary.rows, "failed": summary.failed, "seconds": round(seconds, 3)},
            partial=summary.failed > 0,
        )


def price_batch_kind(run: RunBatch) -> JobKind:
    return JobKind(
        name=PRICE_BATCH,
        permission=Permission.VIEW_JOB_PRICING,
        run=run,
        check=check_payload,
        description="Price every row of an uploaded CSV or XLSX file of jobs.",
    )


@attrs.frozen(kw_only=True)
class BatchResult:
    """The batch id whose result job `job_id` produced, for its starter or a holder of
    VIEW_SYSTEM_LOGS: Conflict while the job is queued or running; NotFound for anyone else,
    another kind of job, or a batch job that failed (it has no result)."""

    get_job: GetJob

    def __call__(self, principal: Principal, job_id: str) -> str:
        job = self.get_job(principal, job_id)
        if job.kind != PRICE_BATCH:
            raise NotFound(f"no batch job {job_id!r}", job_id=job_id)
        if not job.finished:
            raise Conflict(
                f"job {job_id} is {job.status}: its result is not ready yet",
                job_id=job_id,
                job_status=str(job.status),
            )
        if job.status is JobStatus.FAILED:
            raise NotFound(f"job {job_id} failed: it has no result", job_id=job_id)
        return str(job.payload["batch"])
