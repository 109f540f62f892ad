"""The manifest written beside each backup, and read back when it is verified or restored."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import attrs

from pricing_core.backups.model import TableFigures

__all__ = ["MANIFEST_SUFFIX", "Manifest", "file_sha256", "manifest_path", "read_manifest"]

MANIFEST_SUFFIX = ".manifest.json"
CHUNK = 1 << 20


def manifest_path(backup: Path) -> Path:
    return backup.with_name(backup.name + MANIFEST_SUFFIX)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@attrs.frozen(kw_only=True)
class Manifest:
    """What was backed up: the schema revision, each table's figures, the file's size and hash."""

    filename: str
    created: datetime
    database: str  # postgresql or sqlite
    schema_revision: str | None
    tables: Mapping[str, TableFigures]
    size: int
    sha256: str
    seconds: float

    def as_json(self) -> dict[str, Any]:
        return {
            "filename": self.filename,
            "created": self.created.isoformat(),
            "database": self.database,
            "schema_revision": self.schema_revision,
            "size": self.size,
            "sha256": self.sha256,
            "seconds": round(self.seconds, 3),
            "tables": {
                name: {"rows": t.rows, "checksum": t.checksum} for name, t in self.tables.items()
            },
        }

    def write(self, backup: Path) -> Path:
        """Beside the backup, written whole under a temporary name then renamed."""
        target = manifest_path(backup)
        partial = target.with_name(target.name + ".tmp")
        partial.write_text(json.dumps(self.as_json(), indent=2) + "\n", encoding="utf-8")
        partial.chmod(0o600)
        os.replace(partial, target)
        return target


class ManifestError(ValueError):
    """A manifest that cannot be read; the message says which and why."""


def read_manifest(backup: Path) -> Manifest | None:
    """The backup's manifest, None when there is none; ManifestError when it is unreadable."""
    path = manifest_path(backup)
    if not path.is_file():
        return None
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return Manifest(
            filename=str(raw["filename"]),
            created=datetime.fromisoformat(raw["created"]),
            database=str(raw["database"]),
            schema_revision=raw.get("schema_revision"),
            tables={
                str(name): TableFigures(rows=int(t["rows"]), checksum=str(t["checksum"]))
                for name, t in raw["tables"].items()
            },
            size=int(raw["size"]),
            sha256=str(raw["sha256"]),
            seconds=float(raw.get("seconds", 0.0)),
        )
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise ManifestError(f"{path.name}: unreadable manifest ({error})") from None
