"""A backup report as `pricing backups verify --json`, the backup jobs and the API show it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pricing_core.backups.model import BackupReport, BackupVerdict, Check, RestoreResult
from pricing_core.backups.ports import CreatedBackup

__all__ = ["created_json", "report_json"]

MB = Decimal(1024 * 1024)


def _size_mb(size: int) -> float:
    return float((Decimal(size) / MB).quantize(Decimal("0.01")))


def _check(check: Check) -> dict[str, Any]:
    return {"name": check.name, "ok": check.ok, "detail": check.detail}


def _verdict(verdict: BackupVerdict) -> dict[str, Any]:
    facts = verdict.facts
    return {
        "filename": facts.filename,
        "kind": str(facts.kind),
        "valid": verdict.valid,
        "size": facts.size,
        "created": facts.created.isoformat(),
        "checks": [_check(c) for c in verdict.checks],
    }


def _restore(result: RestoreResult | None) -> dict[str, Any] | None:
    if result is None:
        return None
    return {
        "filename": result.filename,
        "ok": result.ok,
        "seconds": round(result.seconds, 3),
        "tables": {name: figures.rows for name, figures in result.tables.items()},
        "differences": list(result.differences),
        "smoke": _check(result.smoke) if result.smoke else None,
        "error": result.error,
    }


def report_json(report: BackupReport) -> dict[str, Any]:
    latest = report.latest_valid
    return {
        "ok": report.ok,
        "problems": list(report.problems),
        "checked_at": report.checked_at.isoformat(),
        "rpo_hours": float(report.policy.max_age_hours),
        "backups_found": report.found,
        "backups_valid": report.valid,
        "backups_invalid": report.invalid,
        "latest_backup": None
        if latest is None
        else {
            "filename": latest.filename,
            "size_mb": _size_mb(latest.facts.size),
            "created": latest.facts.created.isoformat(),
            "age_hours": float(report.latest_age_hours or 0),
        },
        "backups": [_verdict(v) for v in report.verdicts],
        "restore_test": _restore(report.restore),
    }


def created_json(created: CreatedBackup) -> dict[str, Any]:
    return {
        "filename": created.filename,
        "path": created.path,
        "size": created.size,
        "size_mb": _size_mb(created.size),
        "sha256": created.sha256,
        "seconds": round(created.seconds, 3),
        "tables": created.tables,
        "rows": created.rows,
        "schema_revision": created.schema_revision,
    }
