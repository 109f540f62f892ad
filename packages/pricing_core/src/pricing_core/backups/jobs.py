"""Backups as background jobs: create then verify, or verify alone; and the list of backups.

The jobs run the same use cases as `pricing backups create|verify`. StartJob checked the
starter's MANAGE_BACKUPS and audited the start under their name; the run itself acts as
`system:jobs`, as the command line acts as `system:cli`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import attrs

from pricing_core.access.audit import RequestInfo, require
from pricing_core.access.model import Principal
from pricing_core.access.roles import Permission, Role
from pricing_core.backups.model import BackupReport
from pricing_core.backups.ports import CreatedBackup
from pricing_core.backups.service import CreateBackup, VerifyBackups
from pricing_core.errors import InvalidRequest
from pricing_core.jobs.kinds import JobKind, JobResult
from pricing_core.jobs.model import Job, JobQuery
from pricing_core.jobs.ports import JobStore, Progress

__all__ = [
    "BACKUP_CREATE",
    "BACKUP_KINDS",
    "BACKUP_VERIFY",
    "JOB_RUNNER",
    "ListBackups",
    "RunBackupCreate",
    "RunBackupVerify",
    "backup_kinds",
    "check_restore_test",
]

BACKUP_CREATE = "backup_create"
BACKUP_VERIFY = "backup_verify"
BACKUP_KINDS = (BACKUP_CREATE, BACKUP_VERIFY)
JOB_RUNNER = Principal(role=Role.ADMIN, user_id="system:jobs")
# How many recent jobs of each kind to look through for the newest finished one.
RECENT = 20

Payload = Mapping[str, object]
RenderReport = Callable[[BackupReport], Mapping[str, object]]
RenderCreated = Callable[[CreatedBackup], Mapping[str, object]]


def check_restore_test(payload: Payload) -> Payload:
    """`restore_test` (true or false; true when absent: a backup is proven by restoring it)."""
    for name in payload:
        if name != "restore_test":
            raise InvalidRequest(f"payload.{name}", "this job takes no such field")
    value = payload.get("restore_test", True)
    if type(value) is not bool:
        raise InvalidRequest("payload.restore_test", "must be true or false")
    return {"restore_test": value}


def _ended(rendered: Payload, report: BackupReport) -> JobResult:
    """A verification that does not prove the backups fails the job, its report kept."""
    if report.ok:
        return JobResult(report=rendered)
    reason = "; ".join(report.problems) or "the backups are not proven"
    return JobResult(report=rendered, failed=reason)


@attrs.frozen(kw_only=True)
class RunBackupVerify:
    verify: VerifyBackups
    render: RenderReport

    def __call__(self, payload: Payload, progress: Progress) -> JobResult:
        restore_test = check_restore_test(payload)["restore_test"] is True
        progress(0, 1)
        report = self.verify(JOB_RUNNER, restore_test=restore_test)
        progress(1, 1)
        return _ended(self.render(report), report)


@attrs.frozen(kw_only=True)
class RunBackupCreate:
    """Create a backup, then verify the directory (restoring the newest when asked): a
    backup nobody checked proves nothing. Run again after a transient failure, it makes
    another backup, which the shrinkage and age rules take as they take any other."""

    create: CreateBackup
    verify: VerifyBackups
    render: RenderReport
    render_created: RenderCreated

    def __call__(self, payload: Payload, progress: Progress) -> JobResult:
        restore_test = check_restore_test(payload)["restore_test"] is True
        progress(0, 2)
        created = self.create(JOB_RUNNER, RequestInfo(user_agent=f"job {BACKUP_CREATE}"))
        progress(1, 2)
        report = self.verify(JOB_RUNNER, restore_test=restore_test)
        progress(2, 2)
        return _ended({**self.render(report), "created": self.render_created(created)}, report)


def backup_kinds(create: RunBackupCreate, verify: RunBackupVerify) -> list[JobKind]:
    return [
        JobKind(
            name=BACKUP_CREATE,
            permission=Permission.MANAGE_BACKUPS,
            run=create,
            check=check_restore_test,
            schedulable=True,
            description=(
                "Back up the database, then verify every backup; `restore_test` (default "
                "true) restores the newest into a scratch database."
            ),
        ),
        JobKind(
            name=BACKUP_VERIFY,
            permission=Permission.MANAGE_BACKUPS,
            run=verify,
            check=check_restore_test,
            description=("Verify every backup; `restore_test` (default true) restores the newest."),
        ),
    ]


@attrs.frozen(kw_only=True)
class ListBackups:
    """MANAGE_BACKUPS. The newest finished backup job (create or verify), whose report lists
    every backup the directory held then, each with its checks, and the restore test. It
    reads no file: judging a custom dump runs pg_restore over it, work for a job, not for a
    GET; a file written since is listed after the next verification."""

    jobs: JobStore

    def __call__(self, principal: Principal) -> Job | None:
        require(principal, Permission.MANAGE_BACKUPS)
        finished: list[Job] = []
        for kind in BACKUP_KINDS:
            recent, _ = self.jobs.query(JobQuery(kind=kind, limit=RECENT))
            finished += [job for job in recent if job.finished and job.report is not None]
        return max(finished, key=lambda job: job.finished_at or job.created_at, default=None)
