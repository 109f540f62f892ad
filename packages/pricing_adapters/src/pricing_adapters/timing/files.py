"""Each serving process writes its figures to a folder; `pricing db stats` merges them."""

from __future__ import annotations

import atexit
import json
import logging
import os
import threading
from pathlib import Path
from typing import Any

from pricing_adapters.settings import Settings
from pricing_adapters.timing.operations import Timing
from pricing_adapters.timing.stats import ShapeRow, merge

__all__ = ["StatsFlusher", "load_stats", "save_stats", "stats_directory"]

FLUSH_SECONDS = 10.0
KEEP_FILES = 64
log = logging.getLogger(__name__)


def stats_directory(settings: Settings) -> Path:
    """Where serving processes write their figures and `pricing db stats` reads them."""
    return settings.query_stats_dir or settings.data_dir / "query-stats"


def save_stats(timing: Timing, directory: Path) -> None:
    """Write this process's figures to `directory`/<pid>.json."""
    payload = {
        "statements": timing.statements.snapshot(),
        "operations": timing.operations.snapshot(),
    }
    try:
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"{os.getpid()}.json"
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(payload))
        temporary.replace(path)
        files = sorted(directory.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in files[KEEP_FILES:]:
            old.unlink(missing_ok=True)
    except OSError as error:
        log.warning("cannot save query statistics", extra={"error": type(error).__name__})


class StatsFlusher:
    """Writes `timing` to `directory` every few seconds while it changes, and at exit."""

    def __init__(self, timing: Timing, directory: Path, *, every: float = FLUSH_SECONDS) -> None:
        self.timing = timing
        self.directory = directory
        self._every = every
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="query-stats", daemon=True)

    def start(self) -> StatsFlusher:
        self._thread.start()
        atexit.register(self.stop)
        return self

    def _run(self) -> None:
        while not self._stopped.wait(self._every):
            if self.timing.changed:
                save_stats(self.timing, self.directory)

    def stop(self) -> None:
        """Write the figures one last time; idempotent."""
        if self._stopped.is_set():
            return
        self._stopped.set()
        atexit.unregister(self.stop)
        save_stats(self.timing, self.directory)


def load_stats(directory: Path) -> tuple[list[ShapeRow], list[ShapeRow]]:
    """(statements, operations) of every process that saved figures in `directory`."""
    statements: list[dict[str, Any]] = []
    operations: list[dict[str, Any]] = []
    for path in sorted(directory.glob("*.json")) if directory.is_dir() else []:
        try:
            payload = json.loads(path.read_text())
            merge([payload["statements"], payload["operations"]])  # readable, or skipped
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            continue  # being replaced right now, or not ours
        statements.append(payload["statements"])
        operations.append(payload["operations"])
    return merge(statements), merge(operations)
