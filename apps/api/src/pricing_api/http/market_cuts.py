"""The raw figures behind a price: one stored cut, its percentiles with their states, as the
`CutOut` that documents the answer."""

from __future__ import annotations

from pricing_adapters.bootstrap import Container
from pricing_api.http.market_schema import CutOut, CutRefArea, PercentileOut
from pricing_core.errors import NotFound, UnknownSource
from pricing_core.market.model import ALL_INDUSTRIES, PERCENTILES, Cut, normalise_job_code
from pricing_core.places import resolve_area

__all__ = ["cut_out"]


def _figure(cut: Cut, p: int) -> PercentileOut:
    value = cut.percentiles[p]
    return PercentileOut(
        state=value.kind,
        value=float(value.value) if value.value is not None else None,
        reason=value.reason,
    )


def cut_out(
    services: Container,
    source: str,
    job_code: str,
    area: str,
    industry: str = ALL_INDUSTRIES,
    version: str | None = None,
) -> CutOut:
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
    return CutOut(
        source=source,
        version=label,
        job_code=cut.job_code,
        area=CutRefArea(code=place.code, name=place.name),
        industry=cut.industry_code,
        currency=cut.currency,
        effective_date=cut.effective_date,
        percentiles={f"p{p}": _figure(cut, p) for p in PERCENTILES},
        employment=cut.employment,
        organizations=cut.organizations,
        wage_rse=float(cut.wage_rse) if cut.wage_rse is not None else None,
        top_code=float(found.top_code) if found.top_code is not None else None,
    )
