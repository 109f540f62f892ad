"""Uploaded files waiting to be imported: one folder each under `$PRICING_DATA_DIR/uploads`.

A worker killed mid-upload (OOM, SIGKILL, a crash) runs no `finally`, so its copy of the
file would stay on disk for good. Each upload therefore holds an exclusive lock (flock) on
a file beside its folder for as long as it works; the kernel drops the lock when the
process dies, however it dies. `remove_stale_uploads`, run when a process starts, removes
every folder whose lock nobody holds: what dead processes left. The lock file is created
before its folder and removed after it, so a folder without one is an orphan too.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["remove_stale_uploads", "upload_folder", "uploads_dir"]

log = logging.getLogger(__name__)

LOCK_SUFFIX = ".lock"


def uploads_dir(data_dir: Path) -> Path:
    return data_dir / "uploads"


@contextmanager
def upload_folder(data_dir: Path) -> Iterator[Path]:
    """A private folder for one upload, locked while in use, removed afterwards."""
    root = uploads_dir(data_dir)
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    handle, lock_name = tempfile.mkstemp(prefix="upload-", suffix=LOCK_SUFFIX, dir=root)
    lock = Path(lock_name)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a new file: nobody else holds it
        folder = lock.with_suffix("")
        folder.mkdir(mode=0o700)
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    finally:
        lock.unlink(missing_ok=True)
        os.close(handle)


def _unlocked(lock: Path) -> bool:
    """Whether no live process holds `lock` (False if it vanished meanwhile)."""
    try:
        handle = os.open(lock, os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(handle)  # closing releases the lock we may have taken
    return True


def remove_stale_uploads(data_dir: Path) -> list[Path]:
    """Remove the upload folders no live process holds; returns the folders removed."""
    root = uploads_dir(data_dir)
    if not root.is_dir():
        return []
    removed: list[Path] = []
    for lock in sorted(root.glob(f"*{LOCK_SUFFIX}")):
        if _unlocked(lock):
            folder = lock.with_suffix("")
            shutil.rmtree(folder, ignore_errors=True)
            lock.unlink(missing_ok=True)
            removed.append(folder)
    for folder in sorted(root.iterdir()):
        if folder.is_dir() and not folder.with_suffix(LOCK_SUFFIX).exists():
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    if removed:
        log.warning("removed %d upload folder(s) left by stopped processes", len(removed))
    return removed
