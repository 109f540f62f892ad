"""A process's timings: its statements' figures, its named operations' and their observer."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import ParamSpec, Protocol, TypeVar

import attrs

from pricing_adapters.timing.stats import QueryStats

__all__ = ["Timing", "TimingObserver"]

P = ParamSpec("P")
R = TypeVar("R")


class TimingObserver(Protocol):
    """Where timings go besides the figures: the metrics adapter."""

    def query(self, shape: str, seconds: float) -> None: ...

    def operation(self, name: str, seconds: float) -> None: ...

    def connections_active(self, count: int) -> None: ...


@attrs.define(kw_only=True)
class Timing:
    """The figures `pricing db stats` shows: SQL statements by shape, operations by name."""

    statements: QueryStats = attrs.Factory(QueryStats)
    operations: QueryStats = attrs.Factory(QueryStats)
    observer: TimingObserver | None = None

    def operation(self, name: str, seconds: float) -> None:
        self.operations.record(name, seconds, raw=True)
        if self.observer is not None:
            self.observer.operation(name, seconds)

    def timed(self, name: str) -> _Timed:
        """Time a block or every call of a function under `name` (figures and metrics):
        `with timing.timed("price"):` or `@timing.timed("price")`."""
        return _Timed(self, name)

    @property
    def changed(self) -> bool:
        return self.statements.changed or self.operations.changed


class _Timed:
    def __init__(self, timing: Timing, name: str) -> None:
        self._timing = timing
        self.name = name
        self._started: list[float] = []

    def __enter__(self) -> None:
        self._started.append(time.perf_counter())

    def __exit__(self, *exc: object) -> None:
        self._timing.operation(self.name, time.perf_counter() - self._started.pop())

    def __call__(self, function: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(function)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            with _Timed(self._timing, self.name):
                return function(*args, **kwargs)

        return wrapper
