"""`/api/v1/backups`: start a backup or a verification as a background job, and list the
backups as the last verification found them. Every route needs MANAGE_BACKUPS (ADMIN).

The jobs are `backup_create` (create, then verify) and `backup_verify`, the kinds the
worker's PRICING_BACKUP_SCHEDULE starts; follow one at GET /api/v1/jobs/{job_id}.
"""

from __future__ import annotations

from typing import Any

import anyio.to_thread
import msgspec
from litestar import Controller, Request, get, post
from litestar.params import JSONBody

from pricing_api.http.documented import answer, problem_entries
from pricing_api.http.schemas import MAX_BODY_BYTES, Body, Caller, Info, Services
from pricing_api.http.security import needs
from pricing_api.job_views import job_json
from pricing_core.access.roles import Permission
from pricing_core.backups.jobs import BACKUP_CREATE, BACKUP_VERIFY
from pricing_core.jobs.model import JobStatus

__all__ = ["BackupsController"]

_GUARDED = (401, 403, 429, 503)
_TEXTS = {
    400: 'A body that is not `{"restore_test": true|false}`; `errors` names the field.',
    413: f"Body larger than {MAX_BODY_BYTES} bytes.",
    422: "`restore_test` is not true or false (a number is no boolean).",
}


class RestoreTestBody(Body):
    """Restore the newest backup into a scratch database and compare it with its manifest
    (default true: only a restore proves a backup)."""

    restore_test: bool = True


class StartedOut(msgspec.Struct):
    """The job started; follow it at GET /api/v1/jobs/{job_id}."""

    job_id: str


class CheckOut(msgspec.Struct):
    name: str
    ok: bool
    detail: str


class BackupOut(msgspec.Struct):
    """One backup file as the verification judged it."""

    filename: str
    kind: str
    valid: bool
    size: int
    created: str
    checks: list[CheckOut]


class LatestOut(msgspec.Struct):
    filename: str
    size_mb: float
    created: str
    age_hours: float


class RestoreOut(msgspec.Struct):
    filename: str
    ok: bool
    seconds: float
    tables: dict[str, int]
    differences: list[str]
    smoke: CheckOut | None
    error: str | None


class VerificationOut(msgspec.Struct):
    """The newest finished backup job and its verdict: `report` is what `pricing backups
    verify --json` prints (a `backup_create` job's adds `created`)."""

    job_id: str
    kind: str
    status: JobStatus
    finished_at: str | None
    error: str | None
    ok: bool
    problems: list[str]
    checked_at: str
    rpo_hours: float
    backups_found: int
    backups_valid: int
    backups_invalid: int
    latest_backup: LatestOut | None
    restore_test: RestoreOut | None


class BackupListOut(msgspec.Struct):
    """The backups the last verification found, each with its checks; empty, with a null
    `last_verification`, before any backup job finished."""

    backups: list[BackupOut]
    last_verification: VerificationOut | None


def _listing(job: dict[str, Any] | None) -> dict[str, Any]:
    if job is None:
        return {"backups": [], "last_verification": None}
    report = dict(job["report"])
    backups = report.pop("backups", [])
    report.pop("created", None)
    meta = {k: job[k] for k in ("kind", "status", "finished_at", "error")}
    return {"backups": backups, "last_verification": {"job_id": job["id"], **meta, **report}}


class BackupsController(Controller):
    path = "/api/v1/backups"
    tags = ("backups",)
    request_max_body_size = MAX_BODY_BYTES

    @get(
        "/",
        opt=needs(Permission.MANAGE_BACKUPS),
        sync_to_thread=True,
        summary="The backups and their last verification",
        description=(
            "From the newest finished `backup_create` or `backup_verify` job's report: this "
            "reads no file, so a backup written since is listed after the next verification."
        ),
        responses={
            **answer(200, BackupListOut, "Each backup with its checks, and the verdict."),
            **problem_entries({}, 400, *_GUARDED),
        },
    )
    def list_backups(self, services: Services, principal: Caller) -> dict[str, Any]:
        job = services.list_backups(principal)
        return _listing(None if job is None else job_json(job))

    @post(
        "/",
        opt=needs(Permission.MANAGE_BACKUPS),
        status_code=202,
        summary="Back up the database, then verify the backups (a background job)",
        responses={
            **answer(202, StartedOut, "The `backup_create` job, queued."),
            **problem_entries(_TEXTS, 400, 413, 422, *_GUARDED),
        },
    )
    async def create_backup(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[RestoreTestBody],
        services: Services,
        principal: Caller,
        info: Info,
    ) -> dict[str, Any]:
        """`{}` restores the newest backup as a test; `{"restore_test": false}` does not."""
        return await _start(request, services, principal, BACKUP_CREATE, info)

    @post(
        "/verify",
        opt=needs(Permission.MANAGE_BACKUPS),
        status_code=202,
        summary="Verify every backup, with a restore test if asked (a background job)",
        responses={
            **answer(202, StartedOut, "The `backup_verify` job, queued."),
            **problem_entries(_TEXTS, 400, 413, 422, *_GUARDED),
        },
    )
    async def verify_backups(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[RestoreTestBody],
        services: Services,
        principal: Caller,
        info: Info,
    ) -> dict[str, Any]:
        return await _start(request, services, principal, BACKUP_VERIFY, info)


async def _start(
    request: Request[Any, Any, Any], services: Services, principal: Any, kind: str, info: Any
) -> dict[str, Any]:
    # The JSON as sent, not the struct: its conversion reads 0 as false, which the job's own
    # payload check refuses (`restore_test` must be true or false).
    sent = await request.json()
    payload = dict(sent) if isinstance(sent, dict) else {}
    job = await anyio.to_thread.run_sync(services.jobs.start, principal, kind, payload, info)
    return {"job_id": job.id}
