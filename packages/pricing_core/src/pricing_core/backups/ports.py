"""What the backup use cases need from the outside world."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import attrs

from pricing_core.backups.model import BackupFacts, RestoreResult

__all__ = ["BackupMaker", "BackupShelf", "CreatedBackup", "Restorer"]


@attrs.frozen(kw_only=True)
class CreatedBackup:
    """A backup just written, complete, under its final name, with its manifest beside it."""

    filename: str
    path: str
    size: int
    sha256: str
    seconds: float
    tables: int
    rows: int
    schema_revision: str | None


class BackupMaker(Protocol):
    def create(self) -> CreatedBackup:
        """Write a complete backup of the database (a temporary name, renamed when done)."""
        ...


class BackupShelf(Protocol):
    def inspect(self) -> Sequence[BackupFacts]:
        """Every backup in the directory with its facts and content checks."""
        ...


class Restorer(Protocol):
    def restore_test(self, facts: BackupFacts) -> RestoreResult:
        """Restore into a scratch database, compare with the manifest, price one job, and drop
        the scratch database whatever happened."""
        ...
