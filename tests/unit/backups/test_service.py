"""The backup use cases: MANAGE_BACKUPS, what is restored, what is reported and audited."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import attrs
import pytest

from pricing_core.access.audit import Auditor, RequestInfo
from pricing_core.access.model import Principal
from pricing_core.access.roles import Role
from pricing_core.backups.model import (
    BackupFacts,
    BackupKind,
    BackupPolicy,
    Check,
    RestoreResult,
)
from pricing_core.backups.ports import CreatedBackup
from pricing_core.backups.service import CreateBackup, VerifyBackups
from pricing_core.errors import Forbidden
from tests.gear.clock import FakeClock
from tests.unit.recorded_metrics import RecordedMetrics
from tests.unit.requests.conftest import ListAuditLog

NOW = datetime(2026, 12, 2, 12, tzinfo=UTC)
ADMIN = Principal(role=Role.ADMIN, user_id="ada")
GOOD = (Check("pg_restore", True, "ok"),)


def facts(name: str, hours: float, integrity: tuple[Check, ...] = GOOD) -> BackupFacts:
    return BackupFacts(
        filename=name,
        kind=BackupKind.PG_CUSTOM,
        size=100,
        created=NOW - timedelta(hours=hours),
        head=b"PGDMP",
        integrity=integrity,
    )


@attrs.define
class Shelf:
    found: list[BackupFacts]

    def inspect(self) -> Sequence[BackupFacts]:
        return self.found


@attrs.define
class Restorer:
    ok: bool = True
    restored: list[str] = attrs.field(factory=list)

    def restore_test(self, facts: BackupFacts) -> RestoreResult:
        self.restored.append(facts.filename)
        return RestoreResult(filename=facts.filename, ok=self.ok, seconds=3.5)


def verify(found: list[BackupFacts], restorer: Restorer, metrics: RecordedMetrics) -> VerifyBackups:
    return VerifyBackups(
        shelf=Shelf(found),
        restorer=restorer,
        policy=BackupPolicy(),
        clock=FakeClock(NOW),
        metrics=metrics,
    )


@pytest.mark.parametrize("role", [Role.VIEWER, Role.HR_ANALYST, Role.HR_MANAGER])
def test_only_administrators_verify(role: Role) -> None:
    restorer, metrics = Restorer(), RecordedMetrics()
    with pytest.raises(Forbidden):
        verify([facts("a.dump", 1)], restorer, metrics)(Principal(role=role, user_id="u"))
    assert (restorer.restored, dict(metrics.calls)) == ([], {})


def test_the_newest_valid_backup_is_restored_and_the_figures_reported() -> None:
    restorer, metrics = Restorer(), RecordedMetrics()
    found = [facts("old.dump", 30), facts("new.dump", 1)]
    report = verify(found, restorer, metrics)(ADMIN, restore_test=True)
    assert report.ok
    assert restorer.restored == ["new.dump"]
    assert metrics.of("backup_verified") == {(True,): 1}
    assert metrics.of("backup_figures") == {(0, True): 1}


def test_an_invalid_newest_backup_is_not_restored_and_fails() -> None:
    restorer, metrics = Restorer(), RecordedMetrics()
    broken = facts("new.dump", 1, (Check("pg_restore", False, "truncated"),))
    report = verify([broken, facts("old.dump", 2)], restorer, metrics)(ADMIN, restore_test=True)
    assert restorer.restored == []
    assert not report.ok
    assert "the restore test failed" in report.problems
    assert metrics.of("backup_figures") == {(1, False): 1}


def test_a_failed_restore_fails_the_check() -> None:
    restorer, metrics = Restorer(ok=False), RecordedMetrics()
    report = verify([facts("a.dump", 1)], restorer, metrics)(ADMIN, restore_test=True)
    assert not report.ok
    assert metrics.of("backup_verified") == {(False,): 1}


def test_without_a_restore_test_nothing_is_restored() -> None:
    restorer, metrics = Restorer(), RecordedMetrics()
    report = verify([facts("a.dump", 1)], restorer, metrics)(ADMIN)
    assert report.ok
    assert restorer.restored == []
    assert metrics.of("backup_figures") == {(0, None): 1}


@attrs.define
class Maker:
    made: int = 0

    def create(self) -> CreatedBackup:
        self.made += 1
        return CreatedBackup(
            filename="b.dump",
            path="/b/b.dump",
            size=10,
            sha256="ab" * 32,
            seconds=1.0,
            tables=3,
            rows=9,
            schema_revision="0005",
        )


def test_creating_a_backup_is_for_administrators_and_audited() -> None:
    maker, log = Maker(), ListAuditLog()
    create = CreateBackup(maker=maker, auditor=Auditor(log=log, clock=FakeClock(NOW)))
    with pytest.raises(Forbidden):
        create(Principal(role=Role.HR_MANAGER, user_id="m"), RequestInfo())
    assert maker.made == 0
    created = create(ADMIN, RequestInfo(request_id="r1"))
    assert created.filename == "b.dump"
    (event,) = log.events
    assert (event.action, event.actor, event.target_id) == ("backup_create", "ada", "b.dump")
