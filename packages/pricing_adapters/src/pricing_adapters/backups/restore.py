"""Restore tests: the newest backup restored into a scratch database, compared with its
manifest and priced from; the scratch database is dropped whatever happens."""

from __future__ import annotations

import gzip
import os
import secrets
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import attrs
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import SQLAlchemyError

from pricing_adapters.backups.create import read_only_engine
from pricing_adapters.backups.figures import table_figures
from pricing_adapters.backups.manifest import Manifest, ManifestError, read_manifest
from pricing_adapters.backups.pgtools import libpq_args, server_major, tool
from pricing_adapters.backups.smoke import price_one_job
from pricing_adapters.sql.engine import normalise_url
from pricing_core.backups.model import BackupFacts, BackupFailed, BackupKind, RestoreResult
from pricing_core.backups.rules import compare_tables

__all__ = ["PostgresRestorer", "SqliteRestorer"]

RESTORE_TIMEOUT_SECONDS = 6 * 3600
CHUNK = 1 << 20


def _manifest(path: Path) -> Manifest:
    try:
        manifest = read_manifest(path)
    except ManifestError as error:
        raise BackupFailed(str(error)) from None
    if manifest is None:
        raise BackupFailed(f"{path.name} has no manifest beside it: nothing to compare with")
    return manifest


def _judged(path: Path, manifest: Manifest, engine: Engine, started: float) -> RestoreResult:
    with engine.connect() as connection:
        figures = table_figures(connection)
    differences = compare_tables(dict(manifest.tables), figures)
    smoke = price_one_job(engine)
    return RestoreResult(
        filename=path.name,
        ok=not differences and smoke.ok,
        seconds=time.perf_counter() - started,
        tables=figures,
        differences=differences,
        smoke=smoke,
        error=None if not differences and smoke.ok else _why(differences, smoke.detail),
    )


def _why(differences: tuple[str, ...], smoke: str) -> str:
    if differences:
        return f"{len(differences)} table(s) differ from the manifest"
    return smoke


def _failed(path: Path, started: float, error: str) -> RestoreResult:
    return RestoreResult(
        filename=path.name, ok=False, seconds=time.perf_counter() - started, error=error
    )


@attrs.frozen(kw_only=True)
class PostgresRestorer:
    """Restores into `pricing_restore_<random>` on the same server (the role needs CREATEDB)."""

    engine: Engine
    directory: Path
    judge: Callable[[Path, Manifest, Engine, float], RestoreResult] = _judged

    def restore_test(self, facts: BackupFacts) -> RestoreResult:
        started = time.perf_counter()
        path = self.directory / facts.filename
        try:
            manifest = _manifest(path)
        except BackupFailed as error:
            return _failed(path, started, error.message)
        scratch = f"pricing_restore_{secrets.token_hex(6)}"
        admin = self.engine.execution_options(isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{scratch}"'))
        except SQLAlchemyError as error:
            why = str(getattr(error, "orig", error)).strip().splitlines()[0]
            return _failed(path, started, f"the server refused the scratch database: {why}")
        try:
            result = self._restore_into(scratch, facts.kind, path, manifest, started)
        finally:
            dropped = self._drop(admin, scratch)
        if dropped is not None:
            return attrs.evolve(result, ok=False, error=dropped)
        return result

    def _restore_into(
        self, scratch: str, kind: BackupKind, path: Path, manifest: Manifest, started: float
    ) -> RestoreResult:
        url = self.engine.url.set(database=scratch).render_as_string(hide_password=False)
        restored: Engine | None = None
        try:
            self._restore(kind, path, url)
            restored = create_engine(normalise_url(url))
            return self.judge(path, manifest, restored, started)
        except BackupFailed as error:
            return _failed(path, started, error.message)
        except SQLAlchemyError as error:
            return _failed(path, started, f"the restored database cannot be read: {error}")
        finally:
            if restored is not None:
                restored.dispose()

    @staticmethod
    def _drop(admin: Engine, scratch: str) -> str | None:
        try:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)'))
        except SQLAlchemyError as error:
            return f"the scratch database {scratch} could not be dropped: {error}"
        return None

    def _restore(self, kind: BackupKind, path: Path, url: str) -> None:
        major = server_major(self.engine)
        target, env = libpq_args(url)
        child_env = {**os.environ, **env}  # noqa: TID251 - the child needs PATH and locale
        if kind is BackupKind.PG_CUSTOM:
            command = [
                tool("pg_restore", major),
                "--exit-on-error",
                "--no-owner",
                "--no-privileges",
                f"--dbname={target}",
                str(path),
            ]
            _run(command, child_env, None)
        elif kind in (BackupKind.PG_SQL, BackupKind.PG_SQL_GZ):
            command = [tool("psql", major), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", target]
            _run([*command, "-f", "-"], child_env, path, gzipped=kind is BackupKind.PG_SQL_GZ)
        else:
            raise BackupFailed(f"{path.name} is a {kind} backup, not a PostgreSQL one")


def _run(command: list[str], env: dict[str, str], feed: Path | None, gzipped: bool = False) -> None:
    name = Path(command[0]).name
    child = subprocess.Popen(  # noqa: S603 - our own arguments, no shell
        command,
        env=env,
        stdin=subprocess.PIPE if feed else subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        if feed is not None and child.stdin is not None:
            opener = gzip.open if gzipped else open
            try:
                with opener(feed, "rb") as source:
                    shutil.copyfileobj(source, child.stdin, CHUNK)
            except (OSError, EOFError) as error:
                child.kill()
                child.communicate()
                raise BackupFailed(f"cannot read {feed.name}: {error}") from None
        # communicate() closes the child's stdin: the end of the script.
        errors = child.communicate(timeout=RESTORE_TIMEOUT_SECONDS)[1]
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        raise BackupFailed(f"{name} did not finish in time") from None
    if child.returncode != 0:
        text_ = errors.decode(errors="replace").strip().splitlines()
        raise BackupFailed(f"{name} failed: {text_[-1] if text_ else child.returncode}")


@attrs.frozen(kw_only=True)
class SqliteRestorer:
    """Restores a SQLite backup by copying it into a scratch folder and opening the copy."""

    directory: Path
    judge: Callable[[Path, Manifest, Engine, float], RestoreResult] = _judged

    def restore_test(self, facts: BackupFacts) -> RestoreResult:
        started = time.perf_counter()
        path = self.directory / facts.filename
        if facts.kind is not BackupKind.SQLITE:
            return _failed(path, started, f"{path.name} is not a SQLite backup")
        try:
            manifest = _manifest(path)
        except BackupFailed as error:
            return _failed(path, started, error.message)
        with tempfile.TemporaryDirectory(prefix="pricing-restore-") as scratch:
            copy = Path(scratch) / "restored.sqlite"
            try:
                shutil.copyfile(path, copy)
            except OSError as error:
                return _failed(path, started, f"cannot copy {path.name}: {error.strerror}")
            engine = read_only_engine(copy)
            try:
                return self.judge(path, manifest, engine, started)
            except SQLAlchemyError as error:
                return _failed(path, started, f"the restored copy cannot be read: {error}")
            finally:
                engine.dispose()
