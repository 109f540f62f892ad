"""The counter store: a sliding-window hit counter shared by every API process."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from pricing_core.ratelimit.model import Usage

__all__ = ["CounterStore"]


class CounterStore(Protocol):
    """Counts hits per key over a sliding window.

    `hit` records one hit unless `limit` hits already lie within the last `window` seconds,
    atomically for every process sharing the store: N callers racing on one key get exactly
    `limit` hits through. A refused hit is not recorded. A store that cannot answer raises
    `CounterStoreUnavailable`.

    `degraded` is True while answers come from a per-process fallback instead of the shared
    store; `on_degraded` and `on_recovered` are called (with no argument) on each change, for
    logs, metrics and readiness. A store without a fallback is never degraded.
    """

    on_degraded: list[Callable[[], None]]
    on_recovered: list[Callable[[], None]]

    @property
    def degraded(self) -> bool: ...

    def hit(self, key: str, limit: int, window: int) -> Usage: ...
