"""Timing: statements aggregated by shape, named operations, their files (`pricing db stats`).

The SQL side (engine listeners, EXPLAIN of slow statements) is `pricing_adapters.sql.timer`.
"""

from pricing_adapters.timing.files import StatsFlusher, load_stats, save_stats, stats_directory
from pricing_adapters.timing.operations import Timing, TimingObserver
from pricing_adapters.timing.shapes import normalise, shape_id
from pricing_adapters.timing.stats import QueryStats, ShapeRow, merge

__all__ = [
    "QueryStats",
    "ShapeRow",
    "StatsFlusher",
    "Timing",
    "TimingObserver",
    "load_stats",
    "merge",
    "normalise",
    "save_stats",
    "shape_id",
    "stats_directory",
]
