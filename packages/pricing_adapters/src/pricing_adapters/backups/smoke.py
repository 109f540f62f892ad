"""The smoke test of a restored database: price one job from its own active market data."""

from __future__ import annotations

from sqlalchemy import Engine, select

from pricing_adapters.sql.market import SqlMarketRepository
from pricing_adapters.sql.policies import SqlPolicyStore
from pricing_adapters.sql.tables import market_cuts, market_sources, market_versions
from pricing_core.backups.model import Check
from pricing_core.errors import PricingError
from pricing_core.pricing.model import Match, PricingOptions, PricingRequest
from pricing_core.pricing.service import PriceJob

__all__ = ["price_one_job"]


def price_one_job(engine: Engine) -> Check:
    """Price the first median-bearing cut of an active version, as a quote would."""
    query = (
        select(
            market_sources.c.name,
            market_cuts.c.job_code,
            market_cuts.c.area_code,
            market_cuts.c.industry_code,
            market_cuts.c.effective_date,
        )
        .join(market_versions, market_versions.c.id == market_sources.c.active_version_id)
        .join(market_cuts, market_cuts.c.version_id == market_versions.c.id)
        .where(market_cuts.c.p50.is_not(None))
        .order_by(market_sources.c.name, market_cuts.c.job_code, market_cuts.c.area_code)
        .limit(1)
    )
    with engine.connect() as connection:
        row = connection.execute(query).first()
    if row is None:
        return Check("smoke_price", False, "the restored database has no active market data")
    source, job, area, industry, effective = row
    request = PricingRequest(
        matches=(Match(source=source, job_code=job),),
        area=area,
        pricing_date=effective,
        options=PricingOptions(industry=industry, percentile=50),
    )
    try:
        price = PriceJob(market=SqlMarketRepository(engine))
        result = price(request, SqlPolicyStore(engine).current())
    except PricingError as error:
        return Check("smoke_price", False, f"pricing {source}:{job} in {area} failed: {error}")
    return Check(
        "smoke_price",
        True,
        f"priced {source}:{job} in {area}: market rate {result.market_rate} {result.currency}",
    )
