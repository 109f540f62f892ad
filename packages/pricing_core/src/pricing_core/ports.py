"""Ports shared by every area of the domain."""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

__all__ = ["Clock"]


class Clock(Protocol):
    """The only way the domain learns the time: timezone-aware UTC."""

    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        ...

    def today(self) -> date:
        """Today's date in UTC."""
        ...
