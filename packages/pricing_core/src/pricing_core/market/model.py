"""Market data values: areas, sources, versions, cuts and percentile states."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

import attrs

__all__ = [
    "ALL_INDUSTRIES",
    "ALL_OCCUPATIONS",
    "PERCENTILES",
    "Area",
    "AreaKind",
    "Cut",
    "Industry",
    "MissingReason",
    "Percentile",
    "PercentileKind",
    "Source",
    "SourceKind",
    "SourceVersion",
    "normalise_job_code",
]

PERCENTILES: tuple[int, ...] = (10, 25, 50, 75, 90)
ALL_OCCUPATIONS = "00-0000"
ALL_INDUSTRIES = "000000"


def normalise_job_code(code: str) -> str:
    """SOC codes are shown as `15-1252`; `151252` is accepted too. Other codes pass as given."""
    text = code.strip()
    if len(text) == 6 and text.isdigit():
        return f"{text[:2]}-{text[2:]}"
    return text


class AreaKind(StrEnum):
    NATIONAL = "national"
    STATE = "state"
    METRO = "metro"
    NONMETRO = "nonmetro"


@attrs.frozen(kw_only=True)
class Area:
    """A node of the areas tree: national → state → metro or nonmetro."""

    code: str = attrs.field(validator=attrs.validators.min_len(1))
    name: str
    kind: AreaKind = attrs.field(converter=AreaKind)
    parent: str | None = None


@attrs.frozen(kw_only=True)
class Industry:
    code: str
    name: str
    level: int = 0


class SourceKind(StrEnum):
    """Public statistics (OEWS) or a purchased survey (min_organizations applies to surveys)."""

    PUBLIC = "public"
    SURVEY = "survey"


@attrs.frozen(kw_only=True)
class Source:
    """A named market data set; `active_version` is the one pricing reads."""

    name: str = attrs.field(validator=attrs.validators.min_len(1))
    title: str = ""
    kind: SourceKind = attrs.field(default=SourceKind.PUBLIC, converter=SourceKind)
    # The published top-code threshold: a top-coded percentile is at least this much.
    top_code: Decimal | None = None
    active_version: str | None = None


@attrs.frozen(kw_only=True)
class SourceVersion:
    source: str
    label: str
    sha256: str
    rows: int
    imported_at: datetime
    imported_by: str
    status: str


class PercentileKind(StrEnum):
    VALUE = "value"
    LOWER_BOUND = "lower_bound"
    MISSING = "missing"


class MissingReason(StrEnum):
    SUPPRESSED = "suppressed"
    HOURLY_ONLY = "hourly_only"


@attrs.frozen(kw_only=True)
class Percentile:
    """A value, a lower bound (top-coded; `value` is the published bound if any) or missing."""

    kind: PercentileKind
    value: Decimal | None = None
    reason: MissingReason | None = None

    def __attrs_post_init__(self) -> None:
        if self.kind is PercentileKind.VALUE and (self.value is None or self.value <= 0):
            raise ValueError(f"a percentile value must be positive, got {self.value!r}")
        if self.kind is PercentileKind.MISSING and self.reason is None:
            raise ValueError("a missing percentile needs its reason")
        if self.kind is not PercentileKind.MISSING and self.reason is not None:
            raise ValueError("only a missing percentile has a reason")

    @classmethod
    def of(cls, value: Decimal | int | str) -> Percentile:
        return cls(kind=PercentileKind.VALUE, value=Decimal(value))

    @classmethod
    def top_coded(cls, bound: Decimal | None = None) -> Percentile:
        return cls(kind=PercentileKind.LOWER_BOUND, value=bound)

    @classmethod
    def missing(cls, reason: MissingReason) -> Percentile:
        return cls(kind=PercentileKind.MISSING, reason=reason)

    @property
    def usable(self) -> bool:
        return self.kind is not PercentileKind.MISSING


def _check_percentiles(_: object, __: object, value: Mapping[int, Percentile]) -> None:
    if tuple(sorted(value)) != PERCENTILES:
        raise ValueError(f"a cut has exactly the percentiles {PERCENTILES}, got {sorted(value)}")


@attrs.frozen(kw_only=True)
class Cut:
    """One row of a source version: annual base pay percentiles for job × area × industry."""

    source: str
    version: str
    job_code: str = attrs.field(converter=normalise_job_code)
    area_code: str
    industry_code: str = ALL_INDUSTRIES
    currency: str = "USD"
    effective_date: date
    percentiles: Mapping[int, Percentile] = attrs.field(validator=_check_percentiles)
    employment: int | None = None
    organizations: int | None = None
    wage_rse: Decimal | None = None
