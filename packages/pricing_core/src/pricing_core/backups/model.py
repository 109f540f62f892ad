"""The values the backup rules judge: facts an adapter gathered, checks, the report."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal

import attrs

from pricing_core.errors import PricingError

__all__ = [
    "BackupFacts",
    "BackupFailed",
    "BackupKind",
    "BackupPolicy",
    "BackupReport",
    "BackupVerdict",
    "Check",
    "RestoreResult",
    "TableFigures",
]


class BackupFailed(PricingError):
    """A backup could not be made, read or restored; the message names what and why."""

    code = "backup_failed"


class BackupKind(enum.StrEnum):
    """What a backup file holds, told by its name (and confirmed by its first bytes)."""

    PG_CUSTOM = "pg_custom"  # pg_dump -Fc: *.dump, *.backup
    PG_SQL = "pg_sql"  # plain pg_dump: *.sql
    PG_SQL_GZ = "pg_sql_gz"  # plain pg_dump, gzipped: *.sql.gz
    SQLITE = "sqlite"  # the SQLite online backup API: *.sqlite


@attrs.frozen
class Check:
    """One check of one backup: its name, whether it passed, and why in words."""

    name: str
    ok: bool
    detail: str = ""


@attrs.frozen(kw_only=True)
class TableFigures:
    """A table's row count and the checksum of its rows in primary-key order."""

    rows: int
    checksum: str


@attrs.frozen(kw_only=True)
class BackupFacts:
    """What an adapter found out about one file; the rules decide what it means.

    `integrity` holds the adapter's content checks (gzip read to the end, the dump trailer,
    pg_restore, SQLite's integrity_check, the manifest's sha256); an empty tuple means none
    could be run.
    """

    filename: str
    kind: BackupKind
    size: int
    created: datetime
    leads_outside: bool = False  # a symbolic link whose target is outside the directory
    head: bytes = b""  # the file's first bytes, for the magic number
    integrity: tuple[Check, ...] = ()


@attrs.frozen(kw_only=True)
class BackupVerdict:
    """One file judged: valid only when every check passed."""

    facts: BackupFacts
    checks: tuple[Check, ...]

    @property
    def valid(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def filename(self) -> str:
        return self.facts.filename


@attrs.frozen(kw_only=True)
class BackupPolicy:
    """How strict verification is: shrinkage against the previous backup, and the RPO."""

    min_size_ratio: Decimal = Decimal("0.5")
    max_age_hours: Decimal = Decimal(26)

    def __attrs_post_init__(self) -> None:
        if not Decimal(0) <= self.min_size_ratio <= Decimal(1):
            raise ValueError(f"min_size_ratio must be from 0 to 1, got {self.min_size_ratio}")
        if self.max_age_hours <= 0:
            raise ValueError(f"max_age_hours must be above 0, got {self.max_age_hours}")


@attrs.frozen(kw_only=True)
class RestoreResult:
    """A restore test of one backup into a scratch database."""

    filename: str
    ok: bool
    seconds: float
    tables: Mapping[str, TableFigures] = attrs.field(factory=dict)
    differences: tuple[str, ...] = ()
    smoke: Check | None = None  # pricing one job from the restored data
    error: str | None = None


@attrs.frozen(kw_only=True)
class BackupReport:
    """Every backup judged, the newest valid one, its age against the RPO, and a restore."""

    checked_at: datetime
    policy: BackupPolicy
    verdicts: tuple[BackupVerdict, ...]  # newest first
    latest_valid: BackupVerdict | None
    latest_age_hours: Decimal | None
    restore: RestoreResult | None = None
    restore_asked: bool = False

    @property
    def found(self) -> int:
        return len(self.verdicts)

    @property
    def valid(self) -> int:
        return sum(1 for v in self.verdicts if v.valid)

    @property
    def invalid(self) -> int:
        return self.found - self.valid

    @property
    def newest(self) -> BackupVerdict | None:
        """The newest file in the directory; a link leading out is reported, never newest:
        its time says nothing about a backup of ours."""
        return next((v for v in self.verdicts if not v.facts.leads_outside), None)

    @property
    def within_rpo(self) -> bool:
        return self.latest_age_hours is not None and (
            self.latest_age_hours <= self.policy.max_age_hours
        )

    @property
    def problems(self) -> tuple[str, ...]:
        """Why the backups are not good enough, in words; empty when they are."""
        found: list[str] = []
        newest = self.newest
        if newest is None:
            found.append("no backup found")
        elif not newest.valid:
            failed = ", ".join(c.name for c in newest.checks if not c.ok)
            found.append(f"the newest backup {newest.filename} is invalid ({failed})")
        if self.latest_valid is None:
            if newest is not None:
                found.append("no valid backup")
        elif not self.within_rpo:
            found.append(
                f"the newest valid backup is {self.latest_age_hours} h old, "
                f"above the RPO of {self.policy.max_age_hours} h"
            )
        if self.restore_asked and (self.restore is None or not self.restore.ok):
            why = self.restore.error if self.restore is not None else None
            found.append(f"the restore test failed{f': {why}' if why else ''}")
        return tuple(found)

    @property
    def ok(self) -> bool:
        """The newest backup is valid, within the RPO, and restored when that was asked."""
        return not self.problems
