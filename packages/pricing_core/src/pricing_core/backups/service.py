"""The backup use cases: create one, and verify them all (with a restore test if asked)."""

from __future__ import annotations

import attrs

from pricing_core.access.audit import Auditor, RequestInfo, require
from pricing_core.access.model import Outcome, Principal
from pricing_core.access.roles import Permission
from pricing_core.backups.model import BackupPolicy, BackupReport
from pricing_core.backups.ports import BackupMaker, BackupShelf, CreatedBackup, Restorer
from pricing_core.backups.rules import judge
from pricing_core.ports import Clock, Metrics

__all__ = ["CreateBackup", "VerifyBackups"]


@attrs.frozen(kw_only=True)
class CreateBackup:
    """Write a backup of the database; MANAGE_BACKUPS; audited."""

    maker: BackupMaker
    auditor: Auditor

    def __call__(self, principal: Principal, info: RequestInfo) -> CreatedBackup:
        require(principal, Permission.MANAGE_BACKUPS)
        created = self.maker.create()
        self.auditor.record(
            "backup_create",
            Outcome.SUCCESS,
            info,
            actor=principal.actor,
            target_type="backup",
            target_id=created.filename,
            detail={"size": created.size, "sha256": created.sha256},
        )
        return created


@attrs.frozen(kw_only=True)
class VerifyBackups:
    """Judge every backup in the directory; restore the newest valid one when asked."""

    shelf: BackupShelf
    restorer: Restorer
    policy: BackupPolicy
    clock: Clock
    metrics: Metrics

    def __call__(self, principal: Principal, *, restore_test: bool = False) -> BackupReport:
        require(principal, Permission.MANAGE_BACKUPS)
        found = self.shelf.inspect()
        report = judge(found, self.policy, self.clock.now())
        if restore_test:
            newest = report.newest
            # Only a valid backup is worth restoring; an invalid newest one fails the test.
            restored = self.restorer.restore_test(newest.facts) if newest and newest.valid else None
            report = attrs.evolve(report, restore=restored, restore_asked=True)
        self._report(report)
        return report

    def _report(self, report: BackupReport) -> None:
        self.metrics.backup_verified(report.ok, report.checked_at)
        restored = report.restore
        restore_ok = restored.ok if restored else (False if report.restore_asked else None)
        self.metrics.backup_figures(
            report.invalid, restore_ok, restored.seconds if restored else None
        )
