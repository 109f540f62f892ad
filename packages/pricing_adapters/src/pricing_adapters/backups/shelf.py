"""The backup directory: which files are backups, and the facts and content checks of each.

Nothing here changes or removes a file: verification only reads.
"""

from __future__ import annotations

import gzip
import sqlite3
import subprocess
import zlib
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import attrs

from pricing_adapters.backups.manifest import ManifestError, file_sha256, read_manifest
from pricing_adapters.backups.pgtools import tool
from pricing_core.backups.model import BackupFacts, BackupFailed, BackupKind, Check
from pricing_core.backups.rules import kind_of

__all__ = ["DUMP_TRAILER", "DirectoryShelf"]

DUMP_TRAILER = b"-- PostgreSQL database dump complete"
TAIL = 4096
CHUNK = 1 << 20
HEAD = 16
RESTORE_CHECK_TIMEOUT_SECONDS = 3600


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve(strict=False).relative_to(folder)
    except ValueError:
        return False
    return True


def _trailer(tail: bytes) -> Check:
    if DUMP_TRAILER in tail:
        return Check("trailer", True, "ends with the dump-complete trailer")
    return Check("trailer", False, "no '-- PostgreSQL database dump complete' at the end")


def _plain_sql(path: Path) -> list[Check]:
    with path.open("rb") as handle:
        size = handle.seek(0, 2)
        handle.seek(max(0, size - TAIL))
        return [_trailer(handle.read())]


def _gzipped_sql(path: Path) -> list[Check]:
    tail = b""
    try:
        with gzip.open(path, "rb") as stream:
            while chunk := stream.read(CHUNK):
                tail = (tail + chunk)[-TAIL:]
    except (OSError, EOFError, zlib.error) as error:
        return [Check("gzip", False, f"the gzip stream is broken: {error}")]
    return [Check("gzip", True, "read to the end of the gzip stream"), _trailer(tail)]


def _custom_dump(path: Path) -> list[Check]:
    try:
        program = tool("pg_restore")
    except BackupFailed as error:
        return [Check("pg_restore", False, error.message)]
    try:
        done = subprocess.run(  # noqa: S603 - our own arguments, no shell
            [program, "--file=/dev/null", str(path)],
            capture_output=True,
            text=True,
            timeout=RESTORE_CHECK_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return [Check("pg_restore", False, "pg_restore did not finish in time")]
    if done.returncode != 0:
        last = done.stderr.strip().splitlines()[-1:] or [f"exit status {done.returncode}"]
        return [Check("pg_restore", False, last[0].removeprefix("pg_restore: "))]
    return [Check("pg_restore", True, "pg_restore read every object to /dev/null")]


def _sqlite(path: Path) -> list[Check]:
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            found = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        finally:
            connection.close()
    except sqlite3.Error as error:
        return [Check("integrity_check", False, f"SQLite cannot read it: {error}")]
    if found == ["ok"]:
        return [Check("integrity_check", True, "PRAGMA integrity_check: ok")]
    return [Check("integrity_check", False, "; ".join(map(str, found[:3])))]


CONTENT = {
    BackupKind.PG_SQL: _plain_sql,
    BackupKind.PG_SQL_GZ: _gzipped_sql,
    BackupKind.PG_CUSTOM: _custom_dump,
    BackupKind.SQLITE: _sqlite,
}


@attrs.frozen(kw_only=True)
class DirectoryShelf:
    """The backups in one directory (not its subfolders), with what each file proves."""

    directory: Path

    def inspect(self) -> Sequence[BackupFacts]:
        folder = self.directory
        if not folder.is_dir():
            raise BackupFailed(
                f"the backup directory {folder} does not exist", directory=str(folder)
            )
        root = folder.resolve()
        try:
            entries = sorted(folder.iterdir())
        except OSError as error:
            raise BackupFailed(f"cannot list {folder}: {error.strerror}") from None
        found: list[BackupFacts] = []
        for path in entries:
            kind = kind_of(path.name)
            if kind is None:
                continue
            if path.is_symlink() and not _inside(path, root):
                found.append(self._outside(path, kind))
            elif path.is_file():
                found.append(self._facts(path, kind))
        return found

    def _outside(self, path: Path, kind: BackupKind) -> BackupFacts:
        created = datetime.fromtimestamp(path.lstat().st_mtime, UTC)
        return BackupFacts(
            filename=path.name, kind=kind, size=0, created=created, leads_outside=True
        )

    def _facts(self, path: Path, kind: BackupKind) -> BackupFacts:
        stat = path.stat()
        created = datetime.fromtimestamp(stat.st_mtime, UTC)
        try:
            with path.open("rb") as handle:
                head = handle.read(HEAD)
        except OSError as error:
            unreadable = Check("readable", False, f"cannot read it: {error.strerror}")
            return BackupFacts(
                filename=path.name,
                kind=kind,
                size=stat.st_size,
                created=created,
                integrity=(unreadable,),
            )
        checks = CONTENT[kind](path)
        try:
            manifest = read_manifest(path)
        except ManifestError as error:
            checks.append(Check("manifest", False, str(error)))
            manifest = None
        if manifest is not None:
            created = manifest.created
            same = manifest.size == stat.st_size and manifest.sha256 == file_sha256(path)
            detail = "matches its manifest" if same else "differs from its manifest"
            checks.append(Check("sha256", same, detail))
        return BackupFacts(
            filename=path.name,
            kind=kind,
            size=stat.st_size,
            created=created,
            head=head,
            integrity=tuple(checks),
        )
