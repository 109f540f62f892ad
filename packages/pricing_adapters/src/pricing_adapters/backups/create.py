"""Making backups: pg_dump -Fc on PostgreSQL, the online backup API on SQLite.

Each is written under a `.tmp` name (never picked up by verification) and renamed when
complete, with its manifest beside it. The manifest's figures are read from exactly the data
the backup holds: on PostgreSQL in the snapshot pg_dump dumps, on SQLite from the copy itself.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import attrs
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url

from pricing_adapters.backups.figures import table_figures
from pricing_adapters.backups.manifest import Manifest, file_sha256
from pricing_adapters.backups.pgtools import libpq_args, server_major, tool
from pricing_core.backups.model import BackupFailed, TableFigures
from pricing_core.backups.ports import CreatedBackup
from pricing_core.ports import Clock

__all__ = ["PostgresBackupMaker", "SqliteBackupMaker", "backup_directory"]

DUMP_TIMEOUT_SECONDS = 6 * 3600
# A backup holds password hashes and pay data: only its owner reads it.
PRIVATE = 0o600


def backup_directory(directory: Path) -> Path:
    """The backup folder, created private to this user when missing."""
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as error:
        raise BackupFailed(
            f"cannot create the backup directory {directory}: {error.strerror}",
            directory=str(directory),
        ) from None
    return directory


def _stamp(clock: Clock) -> str:
    return clock.now().strftime("%Y%m%dT%H%M%SZ")


def _revision(connection: Connection, tables: Iterable[str]) -> str | None:
    # Asked only where the table exists: a failed statement would end the dump's snapshot.
    if "alembic_version" not in tables:
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


@contextlib.contextmanager
def _removed_on_failure(partial: Path) -> Iterator[None]:
    try:
        yield
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _complete(partial: Path, final: Path) -> None:
    """The finished file, readable by its owner alone, under its final name."""
    partial.chmod(PRIVATE)
    os.replace(partial, final)


def _created(
    final: Path,
    clock: Clock,
    database: str,
    revision: str | None,
    figures: dict[str, TableFigures],
    started: float,
) -> CreatedBackup:
    """Write the manifest beside `final` and say what was made."""
    manifest = Manifest(
        filename=final.name,
        created=clock.now(),
        database=database,
        schema_revision=revision,
        tables=figures,
        size=final.stat().st_size,
        sha256=file_sha256(final),
        seconds=time.perf_counter() - started,
    )
    manifest.write(final)
    return CreatedBackup(
        filename=final.name,
        path=str(final),
        size=manifest.size,
        sha256=manifest.sha256,
        seconds=manifest.seconds,
        tables=len(figures),
        rows=sum(t.rows for t in figures.values()),
        schema_revision=revision,
    )


@attrs.frozen(kw_only=True)
class PostgresBackupMaker:
    """`pg_dump -Fc` of the configured database, by the client of the server's major version."""

    engine: Engine
    directory: Path
    clock: Clock

    def create(self) -> CreatedBackup:
        started = time.perf_counter()
        program = tool("pg_dump", server_major(self.engine))
        folder = backup_directory(self.directory)
        final = folder / f"pricing-{_stamp(self.clock)}.dump"
        partial = final.with_name(final.name + ".tmp")
        target, env = libpq_args(self.engine.url)
        with _removed_on_failure(partial), self.engine.connect() as connection:
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
            with connection.begin():
                connection.execute(text("SET TRANSACTION READ ONLY"))
                snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
                dump = subprocess.Popen(  # noqa: S603 - our own arguments, no shell
                    [
                        program,
                        "--format=custom",
                        "--no-password",
                        f"--snapshot={snapshot}",
                        f"--file={partial}",
                        f"--dbname={target}",
                    ],
                    env={**os.environ, **env},  # noqa: TID251 - the child needs PATH and locale
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                # The figures are read in the snapshot pg_dump is dumping, at the same time.
                figures = table_figures(connection)
                revision = _revision(connection, figures)
                try:
                    _, errors = dump.communicate(timeout=DUMP_TIMEOUT_SECONDS)
                except subprocess.TimeoutExpired:
                    dump.kill()
                    dump.communicate()
                    raise BackupFailed("pg_dump did not finish in time") from None
            if dump.returncode != 0:
                last = (errors or "").strip().splitlines()[-3:]
                raise BackupFailed(f"pg_dump failed: {' '.join(last) or dump.returncode}")
            _complete(partial, final)
        return _created(final, self.clock, "postgresql", revision, figures, started)


def sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupFailed("an in-memory database has nothing to back up")
    return Path(database).expanduser()


def read_only_engine(path: Path) -> Engine:
    """An engine that reads a SQLite file without changing a byte of it."""
    return create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")


@attrs.frozen(kw_only=True)
class SqliteBackupMaker:
    """A consistent copy of the SQLite database by its online backup API."""

    database: Path
    directory: Path
    clock: Clock

    def create(self) -> CreatedBackup:
        started = time.perf_counter()
        if not self.database.is_file():
            raise BackupFailed(f"the database file {self.database} does not exist")
        folder = backup_directory(self.directory)
        final = folder / f"pricing-{_stamp(self.clock)}.sqlite"
        partial = final.with_name(final.name + ".tmp")
        with _removed_on_failure(partial):
            partial.unlink(missing_ok=True)
            source = sqlite3.connect(f"file:{self.database}?mode=ro", uri=True)
            copy = sqlite3.connect(partial)
            try:
                source.backup(copy)
                # A copy that needs no -wal or -shm file beside it to be read.
                copy.execute("PRAGMA journal_mode=DELETE")
            except sqlite3.Error as error:
                raise BackupFailed(f"the SQLite backup failed: {error}") from None
            finally:
                copy.close()
                source.close()
            reader = read_only_engine(partial)
            try:
                with reader.connect() as connection:
                    figures = table_figures(connection)
                    revision = _revision(connection, figures)
            finally:
                reader.dispose()
            _complete(partial, final)
        return _created(final, self.clock, "sqlite", revision, figures, started)
