"""The engine's listeners: every statement timed by shape, connections counted, slow ones
explained (explain.py)."""

from __future__ import annotations

import threading
import time
from typing import Any

from sqlalchemy import Engine, event

from pricing_adapters.sql.explain import SlowStatements
from pricing_adapters.timing import QueryStats, TimingObserver

__all__ = ["QueryTimer"]


class QueryTimer:
    """Times `engine`'s statements into `stats`; `observer` gets durations and connections."""

    def __init__(
        self,
        engine: Engine,
        *,
        slow_seconds: float,
        stats: QueryStats,
        observer: TimingObserver | None = None,
    ) -> None:
        self.engine = engine
        self.stats = stats
        self.slow_seconds = slow_seconds
        self._observer = observer
        self._lock = threading.Lock()
        self._checked_out = 0
        self._slow = SlowStatements(engine)

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
            self._slow.report(key, statement, params[0] if many and params else params, seconds)
