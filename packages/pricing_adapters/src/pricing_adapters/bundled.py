"""The OEWS May 2025 extract that ships inside this package: provenance, areas and cuts.

Cut rows stay as text until asked for: parsing 370,000 rows up front would cost seconds
and hundreds of megabytes, while a price reads a handful of them.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from importlib import resources
from typing import Any

import attrs

from pricing_core.market.model import (
    Area,
    Cut,
    Industry,
    MissingReason,
    Percentile,
    Source,
    SourceKind,
)

__all__ = ["BundledCuts", "OewsExtract", "load_oews_extract", "parse_cut_row"]

PACKAGE = "pricing_adapters.data"
FOLDER = "oews-2025"
KEY_WIDTH = 21  # "151252,0041940,000000": job, area and industry are fixed-width
STATES = {
    "T": Percentile.top_coded(),
    "H": Percentile.missing(MissingReason.HOURLY_ONLY),
    "S": Percentile.missing(MissingReason.SUPPRESSED),
}


def _text(name: str) -> str:
    data = resources.files(PACKAGE).joinpath(FOLDER, name).read_bytes()
    return gzip.decompress(data).decode() if name.endswith(".gz") else data.decode()


def _rows(name: str) -> Iterator[list[str]]:
    reader = csv.reader(io.StringIO(_text(name)))
    next(reader)
    yield from reader


def _percentile(cell: str) -> Percentile:
    return STATES[cell] if cell in STATES else Percentile.of(cell)


def parse_cut_row(
    fields: list[str], *, source: str, version: str, effective: date, currency: str
) -> Cut:
    """One extract row (job, area, industry, employment, RSE, P10-P90) as a Cut."""
    job, area, industry, employment, rse, *cells = fields
    return Cut(
        source=source,
        version=version,
        job_code=job,
        area_code=area,
        industry_code=industry,
        currency=currency,
        effective_date=effective,
        percentiles=dict(zip((10, 25, 50, 75, 90), map(_percentile, cells), strict=True)),
        employment=int(employment) if employment else None,
        wage_rse=Decimal(rse) if rse else None,
    )


@attrs.frozen(kw_only=True)
class BundledCuts:
    """The extract's rows keyed by their fixed-width prefix, parsed on lookup."""

    source: str
    version: str
    effective: date
    currency: str
    lines: dict[str, str]

    def get(self, job_code: str, area_code: str, industry_code: str) -> Cut | None:
        line = self.lines.get(f"{job_code.replace('-', '')},{area_code},{industry_code}")
        if line is None:
            return None
        return parse_cut_row(
            line.split(","),
            source=self.source,
            version=self.version,
            effective=self.effective,
            currency=self.currency,
        )

    def __len__(self) -> int:
        return len(self.lines)

    def __iter__(self) -> Iterator[Cut]:
        for key in self.lines:
            job, area, industry = key.split(",")
            cut = self.get(job, area, industry)
            if cut is not None:
                yield cut


@attrs.frozen(kw_only=True)
class OewsExtract:
    provenance: dict[str, Any]
    source: Source
    areas: tuple[Area, ...]
    industries: tuple[Industry, ...]
    occupations: tuple[tuple[str, str, int], ...]
    cuts: BundledCuts


def load_oews_extract() -> OewsExtract:
    """Read the shipped extract (about half a second: one decompress, one split)."""
    provenance = json.loads(_text("provenance.json"))
    source = Source(
        name=provenance["source"],
        title=provenance["title"],
        kind=SourceKind(provenance["kind"]),
        top_code=Decimal(provenance["top_code"]),
        active_version=provenance["version"],
    )
    body = _text("cuts.csv.gz")
    lines = body.splitlines()[1:]
    cuts = BundledCuts(
        source=source.name,
        version=provenance["version"],
        effective=date.fromisoformat(provenance["effective_date"]),
        currency=provenance["currency"],
        lines={line[:KEY_WIDTH]: line for line in lines},
    )
    return OewsExtract(
        provenance=provenance,
        source=source,
        areas=tuple(
            Area(code=c, name=n, kind=k, parent=p or None) for c, n, k, p in _rows("areas.csv.gz")
        ),
        industries=tuple(
            Industry(code=c, name=n, level=int(lv)) for c, n, lv in _rows("industries.csv.gz")
        ),
        occupations=tuple(
            (f"{c[:2]}-{c[2:]}", t, int(lv)) for c, t, lv in _rows("occupations.csv.gz")
        ),
        cuts=cuts,
    )
