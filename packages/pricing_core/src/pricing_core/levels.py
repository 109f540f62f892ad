"""Job levels: the seniority words a title carries and the pricing policy maps to percentiles."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Level"]


class Level(StrEnum):
    """A job's level; the policy's level map turns it into a target percentile."""

    JUNIOR = "junior"
    INTERMEDIATE = "intermediate"
    SENIOR = "senior"
    EXPERT = "expert"
