"""Figures by shape: count, total, max and a bounded reservoir of durations (for the p95).

Past MAX_SHAPES new shapes share one `other` entry, so neither memory nor metric labels grow
without bound.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterable
from typing import Any

import attrs

from pricing_adapters.timing.shapes import shape_id, shaped

__all__ = ["MAX_SHAPES", "OTHER", "RESERVOIR", "QueryStats", "ShapeRow", "merge"]

MAX_SHAPES = 200
RESERVOIR = 128
OTHER = "other"


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

    def __init__(self, *, max_shapes: int = MAX_SHAPES, rng: random.Random | None = None) -> None:
        """`rng` draws the reservoir's samples (a seeded one gives repeatable figures)."""
        self._lock = threading.Lock()
        self._shapes: dict[str, _Shape] = {}
        self._max_shapes = max_shapes
        self._rng = rng or random.Random()  # noqa: S311 - sampling, not security
        self.changed = False

    def record(self, text: str, seconds: float, *, raw: bool = False) -> str:
        """Count one run of `text` (a statement, or an operation name with `raw`); its id."""
        shape, key = (text, shape_id(text)) if raw else shaped(text)
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
