"""The raw figures behind a price: one stored cut, its percentiles with their states."""

from __future__ import annotations

from typing import Any

from pricing_adapters.bootstrap import Container
from pricing_core.errors import NotFound, UnknownSource
from pricing_core.market.model import ALL_INDUSTRIES, PERCENTILES, Cut, normalise_job_code
from pricing_core.places import resolve_area

__all__ = ["cut_json"]


def _figure(cut: Cut, p: int) -> dict[str, Any]:
    value = cut.percentiles[p]
    return {
        "state": str(value.kind),
        "value": float(value.value) if value.value is not None else None,
        "reason": str(value.reason) if value.reason is not None else None,
    }


def cut_json(
    services: Container,
    source: str,
    job_code: str,
    area: str,
    industry: str = ALL_INDUSTRIES,
    version: str | None = None,
) -> dict[str, Any]:
    """One stored cut exactly as imported, of the active version unless `version` is given."""
    found = services.market.source(source)
    if found is None or found.active_version is None:
        raise UnknownSource(source)
    label = version or found.active_version
    if version is not None and not any(
        v.label == version for v, _ in services.market_admin.versions(source)
    ):
        raise NotFound(f"{source} has no version {version!r}", source=source, version=version)
    place = resolve_area(services.market, area)
    code = normalise_job_code(job_code)
    cut = services.market.cut(source, label, code, place.code, industry)
    if cut is None:
        raise NotFound(
            f"{source} {label} has no cut for {code} in {place.code} ({place.name}), "
            f"industry {industry}",
            source=source,
            version=label,
            job_code=code,
            area=place.code,
            industry=industry,
        )
    return {
        "source": source,
        "version": label,
        "job_code": cut.job_code,
        "area": {"code": place.code, "name": place.name},
        "industry": cut.industry_code,
        "currency": cut.currency,
        "effective_date": cut.effective_date.isoformat(),
        "percentiles": {f"p{p}": _figure(cut, p) for p in PERCENTILES},
        "employment": cut.employment,
        "organizations": cut.organizations,
        "wage_rse": float(cut.wage_rse) if cut.wage_rse is not None else None,
        "top_code": float(found.top_code) if found.top_code is not None else None,
    }
