"""The shipped OEWS extract as a release, so first use loads it like any other import."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from pricing_adapters.bundled import OewsExtract, load_oews_extract
from pricing_adapters.importers.records import CutRow, ReleaseFile
from pricing_core.market.imports import ProblemLog

__all__ = ["bundled_fingerprint", "bundled_rows", "open_bundled"]


def _rows(lines: Iterator[str], effective: date, currency: str) -> Iterator[CutRow]:
    for line in lines:
        job, area, industry, employment, rse, *cells = line.split(",")
        states = "".join(c if c in "THS" else "V" for c in cells)
        values = [None if c in "THS" else Decimal(c) for c in cells]
        p10, p25, p50, p75, p90 = values
        yield CutRow(
            job_code=f"{job[:2]}-{job[2:]}",
            area_code=area,
            industry_code=industry,
            currency=currency,
            effective_date=effective,
            p10=p10,
            p25=p25,
            p50=p50,
            p75=p75,
            p90=p90,
            states=states,
            employment=int(employment) if employment else None,
            incumbents=None,
            organizations=None,
            wage_rse=Decimal(rse) if rse else None,
        )


def bundled_rows(extract: OewsExtract) -> Iterator[CutRow]:
    """The extract's cuts as the rows an import of it loads."""
    cuts = extract.cuts
    return _rows(iter(cuts.lines.values()), cuts.effective, cuts.currency)


def bundled_fingerprint(provenance: dict[str, Any]) -> str:
    """The extract's checksum: SHA-256 over its files' own SHA-256s, as provenance lists them."""
    return hashlib.sha256("".join(sorted(provenance["files"].values())).encode()).hexdigest()


def open_bundled() -> ReleaseFile:
    """The OEWS May 2025 extract as source `oews-2025`, version `2025A01`."""
    extract = load_oews_extract()
    provenance = extract.provenance
    cuts = extract.cuts
    return ReleaseFile(
        source=extract.source,
        label=provenance["version"],
        sha256=bundled_fingerprint(provenance),
        rows=bundled_rows(extract),
        problems=ProblemLog(),
        total_bytes=len(cuts),
        areas=extract.areas,
        industries=extract.industries,
        jobs={code: title for code, title, _ in extract.occupations},
    )
