"""Upload files left behind by a process that stopped mid-request: the housekeeping sweep."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

import attrs

__all__ = ["UPLOAD_PREFIX", "StaleUploads"]

# Survey uploads are unpacked under a temporary folder with this prefix (market_actions).
UPLOAD_PREFIX = "pricing-upload-"


@attrs.frozen(kw_only=True)
class StaleUploads:
    """Deletes upload folders and files older than `max_age`: `pricing-upload-*` in the
    system's temporary folder, and anything in `folders` (the data directory's uploads).
    A request never takes that long, so nothing in use is touched."""

    folders: Sequence[Path] = ()
    max_age: timedelta = timedelta(days=1)
    temporary: Path = attrs.field(factory=lambda: Path(tempfile.gettempdir()))

    def __call__(self, now: datetime) -> int:
        cutoff = (now - self.max_age).timestamp()
        candidates = list(self.temporary.glob(f"{UPLOAD_PREFIX}*"))
        for folder in self.folders:
            if folder.is_dir():
                candidates.extend(folder.iterdir())
        removed = 0
        for path in candidates:
            try:
                if path.is_symlink() or path.lstat().st_mtime >= cutoff:
                    continue
                if path.is_dir():
                    shutil.rmtree(path)
                else:
                    path.unlink()
                removed += 1
            except FileNotFoundError:
                continue  # another process removed it first
        return removed
