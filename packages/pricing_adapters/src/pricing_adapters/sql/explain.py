"""Slow statements: logged with PostgreSQL's plan, explained at most once a minute per shape."""

from __future__ import annotations

import logging
import math
import threading
import time
from typing import Any

from sqlalchemy import Engine, create_engine
from sqlalchemy.pool import NullPool

__all__ = ["SlowStatements"]

EXPLAIN_EVERY_SECONDS = 60.0  # one EXPLAIN per shape per minute, however often it is slow
EXPLAIN_TIMEOUT_MS = 2000
MAX_STATEMENT_LOGGED = 4000
_EXPLAINABLE = {"select", "insert", "update", "delete", "with", "values", "table"}
log = logging.getLogger(__name__)


class SlowStatements:
    """Logs each slow statement; its plan comes from an engine of its own."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._lock = threading.Lock()
        self._plans: dict[str, tuple[float, str | None]] = {}
        self._explainer: Engine | None = None

    def report(self, key: str, statement: str, params: Any, seconds: float) -> None:
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
