"""A Metrics port that keeps every call, for use cases' tests to read what they reported."""

from __future__ import annotations

from collections import Counter
from datetime import datetime


class RecordedMetrics:
    """Counts each call of the port by method and arguments: `calls[("quote", "high")]`."""

    def __init__(self) -> None:
        self.calls: Counter[tuple[object, ...]] = Counter()

    def quote(self, confidence: str) -> None:
        self.calls["quote", confidence] += 1

    def rate_limit(self, outcome: str) -> None:
        self.calls["rate_limit", outcome] += 1

    def limiter_degraded(self, degraded: bool) -> None:
        self.calls["limiter_degraded", degraded] += 1

    def login_failed(self) -> None:
        self.calls["login_failed",] += 1

    def task(self, name: str, status: str, seconds: float) -> None:
        self.calls["task", name, status] += 1

    def backup_verified(self, ok: bool, at: datetime) -> None:
        self.calls["backup_verified", ok] += 1

    def backup_figures(
        self, invalid: int, restore_ok: bool | None, restore_seconds: float | None
    ) -> None:
        self.calls["backup_figures", invalid, restore_ok] += 1

    def of(self, method: str) -> dict[tuple[object, ...], int]:
        """The calls of one method, by their arguments."""
        return {key[1:]: n for key, n in self.calls.items() if key[0] == method}
