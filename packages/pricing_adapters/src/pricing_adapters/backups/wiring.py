"""The backup use cases, assembled for the configured database."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import attrs
from sqlalchemy import Engine

from pricing_adapters.backups.create import PostgresBackupMaker, SqliteBackupMaker, sqlite_path
from pricing_adapters.backups.restore import PostgresRestorer, SqliteRestorer
from pricing_adapters.backups.shelf import DirectoryShelf
from pricing_adapters.backups.views import created_json, report_json
from pricing_adapters.settings import Settings
from pricing_core.access.audit import Auditor
from pricing_core.backups.jobs import ListBackups, RunBackupCreate, RunBackupVerify, backup_kinds
from pricing_core.backups.model import BackupFacts, BackupFailed, BackupPolicy, RestoreResult
from pricing_core.backups.ports import BackupMaker, CreatedBackup, Restorer
from pricing_core.backups.service import CreateBackup, VerifyBackups
from pricing_core.jobs.kinds import JobKind
from pricing_core.jobs.ports import JobStore
from pricing_core.ports import Clock, Metrics

__all__ = ["BackupServices", "backup_dir", "backup_job_kinds", "build_backups", "list_backups"]


def backup_dir(settings: Settings) -> Path:
    return settings.backup_dir or settings.data_dir / "backups"


@attrs.frozen(kw_only=True)
class BackupServices:
    create: CreateBackup
    verify: VerifyBackups
    directory: Path


class _NothingToBackUp:
    """memory:// keeps nothing on disk."""

    def create(self) -> CreatedBackup:
        raise BackupFailed("PRICING_DATABASE_URL=memory:// keeps nothing to back up")


class _NothingToRestore:
    def restore_test(self, facts: BackupFacts) -> RestoreResult:
        raise BackupFailed("PRICING_DATABASE_URL=memory:// has no database to restore into")


def build_backups(
    settings: Settings,
    engine: Engine | None,
    *,
    clock: Clock,
    metrics: Metrics,
    auditor: Auditor,
) -> BackupServices:
    directory = backup_dir(settings)
    maker: BackupMaker
    restorer: Restorer
    if engine is not None and engine.dialect.name == "postgresql":
        maker = PostgresBackupMaker(engine=engine, directory=directory, clock=clock)
        restorer = PostgresRestorer(engine=engine, directory=directory)
    elif engine is not None:
        database = sqlite_path(settings.database_url)
        maker = SqliteBackupMaker(database=database, directory=directory, clock=clock)
        restorer = SqliteRestorer(directory=directory)
    else:
        maker, restorer = _NothingToBackUp(), _NothingToRestore()
    policy = BackupPolicy(
        min_size_ratio=settings.backup_min_size_ratio,
        max_age_hours=Decimal(settings.backup_max_age_hours),
    )
    return BackupServices(
        create=CreateBackup(maker=maker, auditor=auditor),
        verify=VerifyBackups(
            shelf=DirectoryShelf(directory=directory),
            restorer=restorer,
            policy=policy,
            clock=clock,
            metrics=metrics,
        ),
        directory=directory,
    )


def backup_job_kinds(services: BackupServices) -> list[JobKind]:
    """`backup_create` and `backup_verify`, reporting as `pricing backups verify --json`."""
    return backup_kinds(
        RunBackupCreate(
            create=services.create,
            verify=services.verify,
            render=report_json,
            render_created=created_json,
        ),
        RunBackupVerify(verify=services.verify, render=report_json),
    )


def list_backups(jobs: JobStore) -> ListBackups:
    return ListBackups(jobs=jobs)
