"""The unit of work on SQL: one connection, one transaction, shared by the stores that join it.

Stores get their connections here. While a thread is inside `transaction()`, every store
built on this unit of work runs its statements on that transaction's connection, so a change
and its audit row commit together or roll back together; SQLite would otherwise deadlock, a
second connection waiting on the first one's write lock. Outside a transaction a store gets
what it had before: a short transaction of its own for a write, a pooled connection without a
transaction for a one-statement read (`for_reads`), at no extra round trip.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext

from sqlalchemy import Connection, Engine

from pricing_adapters.sql.engine import for_reads
from pricing_core.ports import UnitOfWork

__all__ = ["SqlUnitOfWork"]


class SqlUnitOfWork(UnitOfWork):
    """Transactions on `engine`, one per thread at a time; a nested one joins the outer one."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._reads = for_reads(engine)
        # Per thread: the API runs each use case on one worker thread, start to end.
        self._local = threading.local()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self.current() is not None:
            yield
            return
        with self.engine.begin() as conn:
            self._local.conn = conn
            try:
                yield
            finally:
                self._local.conn = None

    def current(self) -> Connection | None:
        """The open transaction's connection on this thread, if any."""
        conn: Connection | None = getattr(self._local, "conn", None)
        return conn

    def begin(self) -> AbstractContextManager[Connection]:
        """A connection to write on: the open transaction's, or a transaction of its own
        that commits when the block ends."""
        conn = self.current()
        return self.engine.begin() if conn is None else nullcontext(conn)

    def connect(self) -> AbstractContextManager[Connection]:
        """A connection for several reads: the open transaction's (it sees its own writes),
        or a pooled one."""
        conn = self.current()
        return self.engine.connect() if conn is None else nullcontext(conn)

    def read(self) -> AbstractContextManager[Connection]:
        """A connection for one statement: the open transaction's, or a pooled one without
        BEGIN and ROLLBACK around the statement (see `for_reads`)."""
        conn = self.current()
        return self._reads.connect() if conn is None else nullcontext(conn)
