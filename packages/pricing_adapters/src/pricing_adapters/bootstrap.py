"""The composition root: the only place that builds adapters and wires them into use cases."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Protocol

import attrs
from sqlalchemy import Engine

from pricing_adapters.access_wiring import AccessServices, build_access
from pricing_adapters.clock import SystemClock
from pricing_adapters.importers.records import ReleaseFile
from pricing_adapters.jobs_wiring import JobServices, build_jobs
from pricing_adapters.memory import InMemoryMarketRepository
from pricing_adapters.policy_memory import InMemoryPolicyStore
from pricing_adapters.prometheus_metrics import (
    PrometheusMetrics,
    build_metrics,
    market_import_times,
)
from pricing_adapters.ratelimit_store import build_rate_limiter
from pricing_adapters.requests_wiring import RequestServices, build_requests
from pricing_adapters.settings import Settings
from pricing_adapters.sql.engine import make_engine
from pricing_adapters.sql.loader import SqlMarketLoader
from pricing_adapters.sql.market import SqlMarketRepository
from pricing_adapters.sql.policies import SqlPolicyStore
from pricing_adapters.sql.timing import QueryTimer, install_timing
from pricing_adapters.title_aliases import load_aliases
from pricing_core.market.imports import ImportReport
from pricing_core.market.model import Area
from pricing_core.market.ports import MarketAdmin, MarketReader
from pricing_core.matching.model import Occupation
from pricing_core.matching.service import TitleMatcher
from pricing_core.ports import Clock
from pricing_core.pricing.policy import PricingPolicy
from pricing_core.pricing.ports import PolicyStore
from pricing_core.pricing.service import PriceJob
from pricing_core.ratelimit.service import RateLimiter

__all__ = ["MEMORY_URL", "Container", "ReleaseLoader", "build_container"]

MEMORY_URL = "memory://"


class ReleaseLoader(Protocol):
    """Loads an opened release as a new active version, or says why not."""

    def load(self, release: ReleaseFile, *, imported_by: str) -> ImportReport: ...

    def save_areas(self, areas: Sequence[Area]) -> None: ...


@attrs.frozen(kw_only=True)
class Container:
    """The assembled services, typed by the core's ports; the apps use nothing else."""

    settings: Settings
    clock: Clock
    market: MarketReader
    market_admin: MarketAdmin
    market_loader: ReleaseLoader
    # The policy in force is `policies.current()`: administrators edit it, versions are kept.
    policies: PolicyStore
    price_job: PriceJob
    # Built on first use: only title matching needs it, and it costs an index build.
    title_matcher: Callable[[], TitleMatcher]
    access: AccessServices
    # Saved pricing requests, the recommendation workflow and the policy settings.
    requests: RequestServices
    # Request rate limits: Redis shared by every process, per-process memory while it is down.
    rate_limiter: RateLimiter
    # Every metric of the process: the port's calls (quote, rate_limit, limiter_degraded, …)
    # and the HTTP edge's; `exposition()` is what /metrics answers.
    metrics: PrometheusMetrics
    # Background jobs: start, run, read; the broker's actors or this process's job thread.
    jobs: JobServices
    engine: Engine | None = None
    # The engine's statement timing (`pricing db stats`); None on memory://.
    query_timer: QueryTimer | None = None


def _matcher_for(market: MarketReader, source: str) -> Callable[[], TitleMatcher]:
    """The title index of `source`'s active version, rebuilt when another version becomes
    active (an import or an activation, in any process), built once under a lock."""
    built: dict[str | None, TitleMatcher] = {}
    lock = threading.Lock()

    def matcher() -> TitleMatcher:
        found = market.source(source)
        version = found.active_version if found is not None else None
        index = built.get(version)
        if index is None:
            with lock:
                index = built.get(version)
                if index is None:
                    jobs = market.jobs(source)
                    occupations = [Occupation(code=code, title=title) for code, title in jobs]
                    index = TitleMatcher.build(occupations, load_aliases())
                    built.clear()  # one index kept: the active version's
                    built[version] = index
        return index

    return matcher


def build_container(
    settings: Settings,
    *,
    clock: Clock | None = None,
    policy: PricingPolicy | None = None,
    title_matcher: TitleMatcher | None = None,
) -> Container:
    """Assemble every service from settings; keywords replace one piece (tests, tools).

    Nothing connects here: the database is migrated and seeded by `prepare`.
    """
    clock = clock or SystemClock()
    metrics = build_metrics(settings, clock)
    engine: Engine | None = None
    timer: QueryTimer | None = None
    if settings.database_url == MEMORY_URL:
        memory = InMemoryMarketRepository(clock=clock)
        market: MarketReader = memory
        admin: MarketAdmin = memory
        loader: ReleaseLoader = memory
    else:
        engine = make_engine(settings.database_url)
        timer = install_timing(engine, slow_ms=settings.slow_query_ms, observer=metrics)
        reader = SqlMarketRepository(engine)
        sql_loader = SqlMarketLoader(engine, clock, reader)
        market, admin, loader = reader, sql_loader, sql_loader
    metrics.track_market_data(lambda: market_import_times(market, admin))
    matcher = (
        (lambda: title_matcher)
        if title_matcher is not None
        else _matcher_for(market, settings.title_source)
    )
    policies: PolicyStore = (
        InMemoryPolicyStore(initial=policy or PricingPolicy())
        if engine is None
        else SqlPolicyStore(engine, initial=policy)
    )
    price_job = PriceJob(market=market)
    access = build_access(settings, engine, clock)
    return Container(
        settings=settings,
        clock=clock,
        market=market,
        market_admin=admin,
        market_loader=loader,
        policies=policies,
        price_job=price_job,
        title_matcher=matcher,
        access=access,
        requests=build_requests(
            engine=engine,
            clock=clock,
            access=access,
            policies=policies,
            price_job=price_job,
            title_matcher=matcher,
            title_source=settings.title_source,
            metrics=metrics,
        ),
        rate_limiter=build_rate_limiter(settings, clock, metrics),
        metrics=metrics,
        jobs=build_jobs(
            settings, engine=engine, clock=clock, audit_log=access.audit_log, metrics=metrics
        ),
        engine=engine,
        query_timer=timer,
    )
