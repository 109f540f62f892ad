"""The market data routes' pages, cuts and upload form at the edge.

Each item of a page is a struct of `pricing_api.market_views`, the one the command line's
`--json` prints: handlers answer those structs, and the schema documents them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal

import msgspec
from litestar.datastructures import UploadFile
from litestar.params import Body, QueryParameter

from pricing_api.http.schemas import NO_NUL
from pricing_api.market_views import (
    AreaOut,
    ImportReportOut,
    MatchOut,
    OccupationOut,
    SourceOut,
    VersionOut,
)
from pricing_core.market.model import MissingReason, PercentileKind
from pricing_core.market.rules import MAX_SOURCE_NAME

__all__ = [
    "AreaOut",
    "AreaPage",
    "CutOut",
    "ImportReportOut",
    "MatchLimit",
    "MatchOut",
    "OccupationPage",
    "SourceOut",
    "SourcePage",
    "SurveyUpload",
    "VersionPage",
    "page",
]

MatchLimit = Annotated[
    int, QueryParameter(ge=1, le=50, description="Candidates to rank (at most 50).")
]


def page(items: Sequence[Any], limit: int, offset: int) -> dict[str, Any]:
    """One page of `items` and how many there are in all."""
    return {
        "items": list(items[offset : offset + limit]),
        "total": len(items),
        "limit": limit,
        "offset": offset,
    }


class SourcePage(msgspec.Struct):
    items: list[SourceOut]
    total: int
    limit: int
    offset: int


class VersionPage(msgspec.Struct):
    """Newest first; `active` marks the one pricing reads."""

    items: list[VersionOut]
    total: int
    limit: int
    offset: int


class AreaPage(msgspec.Struct):
    items: list[AreaOut]
    total: int
    limit: int
    offset: int


class OccupationPage(msgspec.Struct):
    items: list[OccupationOut]
    total: int
    limit: int
    offset: int


class PercentileOut(msgspec.Struct):
    """`value`: a figure; `lower_bound`: at least `value` (null: at least the source's
    `top_code`); `missing`: not published, and `reason` says why."""

    state: PercentileKind
    value: float | None
    reason: MissingReason | None


class CutRefArea(msgspec.Struct):
    code: str
    name: str


class CutOut(msgspec.Struct):
    """One stored cut as imported: annual figures before any factor of the rule book."""

    source: str
    version: str
    job_code: str
    area: CutRefArea
    industry: str
    currency: str
    effective_date: date
    percentiles: dict[str, PercentileOut]
    employment: int | None
    organizations: int | None
    wage_rse: float | None
    # The source's published top code: what a `lower_bound` percentile without a value means.
    top_code: float | None


def _bounded(
    low: int, high: int, description: str, pattern: str = NO_NUL
) -> tuple[msgspec.Meta, Any]:
    # A form is a dataclass: msgspec enforces Meta, Litestar documents Body; say both.
    return (
        msgspec.Meta(min_length=low, max_length=high, pattern=pattern),
        Body(min_length=low, max_length=high, pattern=pattern, description=description),
    )


# The core's source name rule (pricing_core.market.rules), so the schema is as strict.
SOURCE_NAME = r"^[a-z0-9._-]+$"


@dataclass
class SurveyUpload:
    """The survey file and its import options (those of `pricing market import-survey`)."""

    file: UploadFile
    source: Annotated[
        str,
        *_bounded(
            1,
            MAX_SOURCE_NAME,
            "e.g. mercer-2025: lower-case letters, digits, '.', '_' and '-'",
            SOURCE_NAME,
        ),
    ]
    pay_period: Literal["annual", "monthly"] = "annual"
    months_per_year: Annotated[
        int, msgspec.Meta(ge=12, le=16), Body(ge=12, le=16, description="12 to 16.")
    ] = 12
    sheet: Annotated[str, *_bounded(1, 200, "XLSX: the sheet (default: the first).")] | None = None
    label: Annotated[str, *_bounded(1, 100, "Default: the file name and checksum.")] | None = None
