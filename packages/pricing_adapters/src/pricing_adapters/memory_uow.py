"""The unit of work for the in-memory stores (`memory://`): one writer at a time, undone whole.

The stores wired to one `MemoryUnitOfWork` share its lock. A transaction holds that lock from
start to end, so another thread sees the stores before or after it, never halfway; each store
writes a step that takes its change back into the transaction's journal, and when the block
raises the journal runs backwards before the lock is let go. A store used outside a
transaction journals nothing: each call is its own change, as before.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from pricing_core.ports import UnitOfWork

__all__ = ["MemoryUnitOfWork", "Undo", "put"]

Undo = Callable[[], object]
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class MemoryUnitOfWork(UnitOfWork):
    """A lock for the stores that share it, and the journal of the open transaction."""

    def __init__(self) -> None:
        # Re-entrant: the thread holding a transaction calls the stores, which lock again.
        self.lock = threading.RLock()
        self._local = threading.local()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if getattr(self._local, "journal", None) is not None:
            yield  # joins the outer transaction, which keeps or undoes everything
            return
        with self.lock:
            journal: list[Undo] = []
            self._local.journal = journal
            try:
                yield
            except BaseException:
                for undo in reversed(journal):
                    undo()
                raise
            finally:
                self._local.journal = None

    def journal(self, undo: Undo) -> None:
        """A store made a change (holding the lock): how to take it back if the transaction
        fails. Outside a transaction the change simply stands."""
        journal: list[Undo] | None = getattr(self._local, "journal", None)
        if journal is not None:
            journal.append(undo)


def put(uow: MemoryUnitOfWork, table: dict[K, V], key: K, value: V) -> None:
    """`table[key] = value`, journaled: undone, the key holds its old value or is gone again."""
    had = key in table
    old = table.get(key)
    table[key] = value

    def undo() -> None:
        if had:
            table[key] = old  # type: ignore[assignment]
        else:
            table.pop(key, None)

    uow.journal(undo)
