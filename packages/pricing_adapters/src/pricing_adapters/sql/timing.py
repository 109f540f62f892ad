"""Statement timing: every SQL statement timed and aggregated by shape; slow ones explained.

A shape is the statement with its literals and parameters replaced by `?` (an IN list or a
multi-row VALUES counts once), named by a short hash that is also its metric label. Each
shape keeps count, total, max and a bounded reservoir of durations (for the p95); past
MAX_SHAPES new shapes share one `other` entry, so neither memory nor metric labels grow
without bound. `timed("name")` does the same for named operations. Processes that serve
(`persist`) write their figures to a folder that `pricing db stats` reads.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import json
import logging
import math
import os
import random
import re
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, ParamSpec, Protocol, TypeVar

import attrs
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import NullPool

__all__ = [
    "OPERATIONS",
    "STATEMENTS",
    "QueryStats",
    "QueryTimer",
    "ShapeRow",
    "install_timing",
    "load_stats",
    "normalise",
    "persist",
    "save_stats",
    "shape_id",
    "timed",
]

MAX_SHAPES = 200
RESERVOIR = 128
EXPLAIN_EVERY_SECONDS = 60.0  # one EXPLAIN per shape per minute, however often it is slow
EXPLAIN_TIMEOUT_MS = 2000
MAX_STATEMENT_LOGGED = 4000
FLUSH_SECONDS = 10.0
KEEP_FILES = 64
CACHED_LENGTH = 2000
OTHER = "other"
_EXPLAINABLE = {"select", "insert", "update", "delete", "with", "values", "table"}
_RULES = (
    (re.compile(r"/\*.*?\*/|--[^\n]*", re.S), " "),
    (re.compile(r"'(?:[^']|'')*'"), "?"),
    (re.compile(r"%\(\w+\)s|%s|\$\d+|(?<![:\w]):\w+"), "?"),
    (re.compile(r"\b\d+(?:\.\d+)?(?:e[+-]?\d+)?\b", re.I), "?"),
    (re.compile(r"\s+"), " "),
    (re.compile(r"\(\s*\?(?:\s*,\s*\?)+\s*\)"), "(?)"),
    (re.compile(r"(\(\?\))(?:\s*,\s*\(\?\))+"), r"\1"),
)
log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())  # quiet in a command-line run that configures nothing
P = ParamSpec("P")
R = TypeVar("R")


def normalise(statement: str) -> str:
    """The statement's shape: literals and parameters as `?`, lists collapsed, one space."""
    return _shaped(statement)[0]


def _normalise(statement: str) -> str:
    shape = statement
    for pattern, replacement in _RULES:
        shape = pattern.sub(replacement, shape)
    return shape.strip()


def shape_id(shape: str) -> str:
    return hashlib.blake2b(shape.encode(), digest_size=5).hexdigest()


def _shaped(statement: str) -> tuple[str, str]:
    # Repeated statements are the common case: remember their shapes, but not the long
    # ones (a multi-row INSERT of a bulk load) whose text alone would fill the cache.
    if len(statement) <= CACHED_LENGTH:
        return _shaped_cached(statement)
    shape = _normalise(statement)
    return shape, shape_id(shape)


@functools.lru_cache(maxsize=4096)
def _shaped_cached(statement: str) -> tuple[str, str]:
    shape = _normalise(statement)
    return shape, shape_id(shape)


@attrs.frozen(kw_only=True)
class ShapeRow:
    """One shape's figures, in seconds."""

    id: str
    shape: str
    count: int
    total: float
    mean: float
    p95: float
    max: float


@attrs.define
class _Shape:
    shape: str
    count: int = 0
    total: float = 0.0
    max: float = 0.0
    samples: list[float] = attrs.Factory(list)

    def add(self, seconds: float, rng: random.Random) -> None:
        self.count += 1
        self.total += seconds
        self.max = max(self.max, seconds)
        if len(self.samples) < RESERVOIR:
            self.samples.append(seconds)
        else:  # reservoir sampling: every duration so far is kept with the same chance
            slot = rng.randrange(self.count)
            if slot < RESERVOIR:
                self.samples[slot] = seconds


def _p95(weighted: list[tuple[float, float]]) -> float:
    """The 95th percentile (nearest rank) of samples that each stand for `weight` runs."""
    if not weighted:
        return 0.0
    weighted.sort()
    target = 0.95 * sum(w for _, w in weighted)
    running = 0.0
    for value, weight in weighted:
        running += weight
        if running >= target - 1e-9:
            return value
    return weighted[-1][0]


class QueryStats:
    """Figures by shape, safe to share between threads."""

    def __init__(self, *, max_shapes: int = MAX_SHAPES) -> None:
        self._lock = threading.Lock()
        self._shapes: dict[str, _Shape] = {}
        self._max_shapes = max_shapes
        self._rng = random.Random()  # noqa: S311 - sampling, not security
        self.changed = False

    def record(self, text: str, seconds: float, *, raw: bool = False) -> str:
        """Count one run of `text` (a statement, or an operation name with `raw`); its id."""
        shape, key = (text, shape_id(text)) if raw else _shaped(text)
        with self._lock:
            entry = self._shapes.get(key)
            if entry is None:
                if len(self._shapes) >= self._max_shapes:
                    key, shape = OTHER, "(statements past the first shapes)"
                entry = self._shapes.setdefault(key, _Shape(shape))
            entry.add(seconds, self._rng)
            self.changed = True
        return key

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            self.changed = False
            return {key: attrs.asdict(entry) for key, entry in self._shapes.items()}

    def rows(self) -> list[ShapeRow]:
        return merge([self.snapshot()])


def merge(snapshots: Iterable[dict[str, Any]]) -> list[ShapeRow]:
    """Rows of several processes' snapshots, busiest (most total time) first."""
    found: dict[str, dict[str, Any]] = {}
    for snapshot in snapshots:
        for key, entry in snapshot.items():
            into = found.setdefault(
                key, {"shape": entry["shape"], "count": 0, "total": 0.0, "max": 0.0, "w": []}
            )
            into["count"] += entry["count"]
            into["total"] += entry["total"]
            into["max"] = max(into["max"], entry["max"])
            weight = entry["count"] / max(1, len(entry["samples"]))
            into["w"].extend((s, weight) for s in entry["samples"])
    rows = [
        ShapeRow(
            id=key,
            shape=v["shape"],
            count=v["count"],
            total=v["total"],
            mean=v["total"] / v["count"] if v["count"] else 0.0,
            p95=_p95(v["w"]),
            max=v["max"],
        )
        for key, v in found.items()
    ]
    return sorted(rows, key=lambda row: (-row.total, row.id))


STATEMENTS = QueryStats()
OPERATIONS = QueryStats()


class TimingObserver(Protocol):
    """Where timings go besides the stats: the metrics adapter."""

    def query(self, shape: str, seconds: float) -> None: ...

    def operation(self, name: str, seconds: float) -> None: ...

    def connections_active(self, count: int) -> None: ...


_observer: list[TimingObserver] = []


def _operation(name: str, seconds: float) -> None:
    OPERATIONS.record(name, seconds, raw=True)
    for observer in _observer:
        observer.operation(name, seconds)


class timed:
    """Time a block or every call of a function under `name` (figures and metrics).

    Lower case: it reads as a function, `with timed("price"):` and `@timed("price")`.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._started: list[float] = []

    def __enter__(self) -> None:
        self._started.append(time.perf_counter())

    def __exit__(self, *exc: object) -> None:
        _operation(self.name, time.perf_counter() - self._started.pop())

    def __call__(self, function: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(function)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            with timed(self.name):
                return function(*args, **kwargs)

        return wrapper


class QueryTimer:
    """The engine's listeners: time statements, count connections, explain slow statements."""

    def __init__(
        self,
        engine: Engine,
        *,
        slow_seconds: float,
        stats: QueryStats = STATEMENTS,
        observer: TimingObserver | None = None,
    ) -> None:
        self.engine = engine
        self.stats = stats
        self.slow_seconds = slow_seconds
        self._observer = observer
        self._lock = threading.Lock()
        self._checked_out = 0
        self._plans: dict[str, tuple[float, str | None]] = {}
        self._explainer: Engine | None = None

    def install(self) -> QueryTimer:
        event.listen(self.engine, "before_cursor_execute", self._before)
        event.listen(self.engine, "after_cursor_execute", self._after)
        event.listen(self.engine, "handle_error", self._failed)
        event.listen(self.engine, "checkout", lambda *_: self._connections(+1))
        event.listen(self.engine, "checkin", lambda *_: self._connections(-1))
        return self

    def _connections(self, change: int) -> None:
        with self._lock:
            self._checked_out = max(0, self._checked_out + change)
            count = self._checked_out
        if self._observer is not None:
            self._observer.connections_active(count)

    def _before(self, conn: Any, _c: Any, _s: str, _p: Any, _x: Any, _m: bool) -> None:
        conn.info.setdefault("pricing_started", []).append(time.perf_counter())

    def _failed(self, context: Any) -> None:
        started = context.connection.info.get("pricing_started") if context.connection else None
        if started:
            started.pop()

    def _after(self, conn: Any, _c: Any, statement: str, params: Any, _x: Any, many: bool) -> None:
        started = conn.info.get("pricing_started")
        if not started:
            return
        seconds = time.perf_counter() - started.pop()
        key = self.stats.record(statement, seconds)
        if self._observer is not None:
            self._observer.query(key, seconds)
        if seconds >= self.slow_seconds:
            self._slow(key, statement, params[0] if many and params else params, seconds)

    def _slow(self, key: str, statement: str, params: Any, seconds: float) -> None:
        now = time.monotonic()
        with self._lock:
            explained_at, plan = self._plans.get(key, (-math.inf, None))
            due = now - explained_at >= EXPLAIN_EVERY_SECONDS
            if due:
                self._plans[key] = (now, None)
        if due:
            plan = self.explain(statement, params)
            with self._lock:
                self._plans[key] = (now, plan)
        log.warning(
            "slow query",
            extra={
                "shape_id": key,
                "duration_ms": round(seconds * 1000, 1),
                "statement": statement[:MAX_STATEMENT_LOGGED],
                "plan": plan,
            },
        )

    def explain(self, statement: str, params: Any) -> str | None:
        """PostgreSQL's plan (EXPLAIN, never ANALYZE: nothing runs twice), or None."""
        words = statement.lstrip(" (\n\t").split(None, 1)
        if self.engine.dialect.name != "postgresql" or not words:
            return None
        if words[0].lower() not in _EXPLAINABLE:
            return None
        if self._explainer is None:
            # Its own connection, outside the pool a busy request may have exhausted.
            self._explainer = create_engine(
                self.engine.url, poolclass=NullPool, connect_args={"connect_timeout": 5}
            )
        try:
            raw = self._explainer.raw_connection()
            try:
                cursor = raw.cursor()
                cursor.execute(f"SET statement_timeout = {EXPLAIN_TIMEOUT_MS}")
                cursor.execute("EXPLAIN " + statement, params)
                lines = [str(row[0]) for row in cursor.fetchall()]
                raw.rollback()
            finally:
                raw.close()
        except Exception as error:  # a plan is a nicety: the statement itself succeeded
            return f"(no plan: {type(error).__name__})"
        return "\n".join(lines)


def install_timing(
    engine: Engine, *, slow_ms: int, observer: TimingObserver | None = None
) -> QueryTimer:
    """Time `engine`'s statements into STATEMENTS; `observer` also gets `timed` operations."""
    if observer is not None:
        _observer[:] = [observer]  # the process's current metrics (one container per process)
    return QueryTimer(engine, slow_seconds=slow_ms / 1000, observer=observer).install()


# Persistence: each serving process writes its figures; `pricing db stats` merges them.

_target: list[Path] = []


def save_stats(directory: Path) -> None:
    """Write this process's figures to `directory`/<pid>.json."""
    payload = {"statements": STATEMENTS.snapshot(), "operations": OPERATIONS.snapshot()}
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


def _flush_forever() -> None:
    while True:
        time.sleep(FLUSH_SECONDS)
        if _target and (STATEMENTS.changed or OPERATIONS.changed):
            save_stats(_target[0])


def persist(directory: Path) -> None:
    """Write this process's figures to `directory` every few seconds and at exit."""
    first = not _target
    _target[:] = [directory]
    if first:
        threading.Thread(target=_flush_forever, name="query-stats", daemon=True).start()
        atexit.register(lambda: save_stats(_target[0]))


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
