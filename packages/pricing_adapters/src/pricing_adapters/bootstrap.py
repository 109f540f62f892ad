"""The composition root: the only place that builds adapters and wires them into use cases."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import attrs
from pricing_core.market.ports import MarketReader
from pricing_core.matching.service import TitleMatcher
from pricing_core.ports import Clock
from pricing_core.pricing.policy import PricingPolicy
from pricing_core.pricing.service import PriceJob

from pricing_adapters.bundled import load_oews_extract
from pricing_adapters.clock import SystemClock
from pricing_adapters.memory import InMemoryMarketRepository
from pricing_adapters.settings import Settings
from pricing_adapters.title_aliases import load_aliases

__all__ = ["Container", "build_container"]


@attrs.frozen(kw_only=True)
class Container:
    """The assembled services, typed by the core's ports; the apps use nothing else."""

    settings: Settings
    clock: Clock
    market: MarketReader
    policy: PricingPolicy
    price_job: PriceJob
    # Built on first use: only title matching needs it, and it costs an index build.
    title_matcher: Callable[[], TitleMatcher]


def _bundled_market() -> InMemoryMarketRepository:
    extract = load_oews_extract()
    market = InMemoryMarketRepository()
    market.add_areas(extract.areas)
    market.add_industries(extract.industries)
    market.add_version(extract.source, extract.source.active_version or "", extract.cuts)
    return market


def _matcher_from_bundle() -> TitleMatcher:
    from pricing_core.matching.model import Occupation

    extract = load_oews_extract()
    occupations = [Occupation(code=code, title=title) for code, title, _ in extract.occupations]
    return TitleMatcher.build(occupations, load_aliases())


def build_container(
    settings: Settings,
    *,
    clock: Clock | None = None,
    market: MarketReader | None = None,
    policy: PricingPolicy | None = None,
    title_matcher: TitleMatcher | None = None,
) -> Container:
    """Assemble every service from settings; each keyword replaces one adapter (tests, tools)."""
    if market is None:
        market = _bundled_market() if settings.bundled_data else InMemoryMarketRepository()
    matcher_factory: Callable[[], TitleMatcher] = (
        (lambda: title_matcher) if title_matcher is not None else cache(_matcher_from_bundle)
    )
    return Container(
        settings=settings,
        clock=clock or SystemClock(),
        market=market,
        policy=policy or PricingPolicy(),
        price_job=PriceJob(market=market),
        title_matcher=matcher_factory,
    )
