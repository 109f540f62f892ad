"""What makes a backup file acceptable, judged from the facts an adapter gathered.

Security checklist items 31–33 (docs/security-checklist.md): only backup names are picked
up, never temporary files; an empty file or one under `min_size_ratio` of the previous
backup's size fails; the content must be what its name says; the newest valid backup must
be younger than the RPO.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from pricing_core.backups.model import (
    BackupFacts,
    BackupKind,
    BackupPolicy,
    BackupReport,
    BackupVerdict,
    Check,
    RestoreResult,
    TableFigures,
)

__all__ = [
    "MAGIC",
    "age_hours",
    "compare_tables",
    "file_checks",
    "judge",
    "kind_of",
]

# Longest suffix first: `x.sql.gz` is a gzipped plain dump, not a `.gz` of anything.
SUFFIXES: tuple[tuple[str, BackupKind], ...] = (
    (".sql.gz", BackupKind.PG_SQL_GZ),
    (".sql", BackupKind.PG_SQL),
    (".dump", BackupKind.PG_CUSTOM),
    (".backup", BackupKind.PG_CUSTOM),
    (".sqlite", BackupKind.SQLITE),
)

MAGIC: dict[BackupKind, bytes] = {
    BackupKind.PG_CUSTOM: b"PGDMP",
    BackupKind.PG_SQL_GZ: b"\x1f\x8b",
    BackupKind.SQLITE: b"SQLite format 3\x00",
    # A plain pg_dump starts with its comment header.
    BackupKind.PG_SQL: b"--",
}

HOUR = Decimal(3600)


def kind_of(filename: str) -> BackupKind | None:
    """The kind a file name announces, or None when it is no backup (`*.tmp`, hidden files)."""
    lowered = filename.lower()
    if lowered.startswith(".") or lowered.endswith(".tmp"):
        return None
    for suffix, kind in SUFFIXES:
        if lowered.endswith(suffix) and len(lowered) > len(suffix):
            return kind
    return None


def file_checks(
    facts: BackupFacts, previous: BackupFacts | None, policy: BackupPolicy
) -> tuple[Check, ...]:
    """Every check of one file; `previous` is the newest valid older backup of its kind."""
    if facts.leads_outside:
        return (Check("location", False, "a symbolic link leading out of the backup directory"),)
    checks = [Check("location", True, "inside the backup directory")]
    if facts.size <= 0:
        checks.append(Check("size", False, "the file is empty"))
        return tuple(checks)
    checks.append(Check("size", True, f"{facts.size} bytes"))
    checks.append(_shrinkage(facts, previous, policy))
    magic = MAGIC[facts.kind]
    if facts.head.startswith(magic):
        checks.append(Check("format", True, f"starts as a {facts.kind} backup"))
    else:
        checks.append(Check("format", False, f"does not start with {magic!r}"))
    if not facts.integrity:
        checks.append(Check("integrity", False, "no content check could be run"))
    checks.extend(facts.integrity)
    return tuple(checks)


def _shrinkage(facts: BackupFacts, previous: BackupFacts | None, policy: BackupPolicy) -> Check:
    if previous is None or previous.size <= 0:
        return Check("shrinkage", True, "no earlier backup to compare with")
    ratio = Decimal(facts.size) / Decimal(previous.size)
    shown = f"{ratio:.2f} of {previous.filename} ({previous.size} bytes)"
    if ratio < policy.min_size_ratio:
        return Check("shrinkage", False, f"{shown}, under the minimum {policy.min_size_ratio}")
    return Check("shrinkage", True, shown)


def age_hours(created: datetime, now: datetime) -> Decimal:
    """Hours from `created` to `now`, to the hundredth; a file from the future is 0 h old."""
    seconds = Decimal((now - created).total_seconds())
    return max(Decimal(0), seconds / HOUR).quantize(Decimal("0.01"))


def _newest_first(found: Iterable[BackupFacts]) -> list[BackupFacts]:
    return sorted(found, key=lambda f: (f.created, f.filename), reverse=True)


def judge(
    found: Iterable[BackupFacts],
    policy: BackupPolicy,
    now: datetime,
    *,
    restore: RestoreResult | None = None,
    restore_asked: bool = False,
) -> BackupReport:
    """Judge every file against the newest valid older backup of its kind, then the RPO."""
    ordered = _newest_first(found)
    previous_valid: dict[BackupKind, BackupFacts] = {}
    verdicts: dict[str, BackupVerdict] = {}
    for facts in reversed(ordered):  # oldest first, so each file meets its predecessor
        verdict = BackupVerdict(
            facts=facts, checks=file_checks(facts, previous_valid.get(facts.kind), policy)
        )
        verdicts[facts.filename] = verdict
        if verdict.valid:
            previous_valid[facts.kind] = facts
    judged = tuple(verdicts[f.filename] for f in ordered)
    latest = next((v for v in judged if v.valid), None)
    return BackupReport(
        checked_at=now,
        policy=policy,
        verdicts=judged,
        latest_valid=latest,
        latest_age_hours=age_hours(latest.facts.created, now) if latest else None,
        restore=restore,
        restore_asked=restore_asked,
    )


def compare_tables(
    expected: dict[str, TableFigures], restored: dict[str, TableFigures]
) -> tuple[str, ...]:
    """Every difference between the manifest's tables and the restored ones, in words."""
    differences: list[str] = []
    for name in sorted(expected.keys() | restored.keys()):
        want, got = expected.get(name), restored.get(name)
        if want is None:
            differences.append(f"{name}: restored but not in the manifest")
        elif got is None:
            differences.append(f"{name}: in the manifest but not restored")
        elif want.rows != got.rows:
            differences.append(f"{name}: {got.rows} rows restored, {want.rows} in the manifest")
        elif want.checksum != got.checksum:
            differences.append(f"{name}: the rows differ from the manifest's checksum")
    return tuple(differences)
