"""The composition root: the only place that builds adapters and wires them into use cases."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Protocol

import attrs
from sqlalchemy import Engine

from pricing_adapters.access_wiring import AccessServices, build_access
from pricing_adapters.backups.wiring import backup_job_kinds, build_backups, list_backups
from pricing_adapters.batch_wiring import batch_kind
from pricing_adapters.clock import SystemClock
from pricing_adapters.importers.records import ReleaseFile
from pricing_adapters.jobs_wiring import JobServices, build_jobs
from pricing_adapters.market_drop import FolderDrop, drop_dir
from pricing_adapters.memory import InMemoryMarketRepository
from pricing_adapters.memory_uow import MemoryUnitOfWork
from pricing_adapters.policy_memory import InMemoryPolicyStore
from pricing_adapters.ports import Ports
from pricing_adapters.prometheus_metrics import (
    PrometheusMetrics,
    build_metrics,
    market_import_times,
)
from pricing_adapters.ratelimit_store import build_rate_limiter
from pricing_adapters.readiness import Readiness
from pricing_adapters.redis_link import connect_redis
from pricing_adapters.requests_wiring import RequestServices, build_requests
from pricing_adapters.settings import Settings
from pricing_adapters.sql.engine import make_engine
from pricing_adapters.sql.loader import SqlMarketLoader
from pricing_adapters.sql.market import SqlMarketRepository
from pricing_adapters.sql.policies import SqlPolicyStore
from pricing_adapters.sql.timer import QueryTimer
from pricing_adapters.sql.unit_of_work import SqlUnitOfWork
from pricing_adapters.timing import Timing
from pricing_adapters.title_aliases import load_aliases
from pricing_core.access.audit import Auditor
from pricing_core.backups.jobs import ListBackups
from pricing_core.market.ports import AreaWriter, MarketAdmin, MarketReader
from pricing_core.market.ports import ReleaseLoader as CoreReleaseLoader
from pricing_core.market.refresh import RefreshMarket, market_refresh_kind
from pricing_core.market.service import ActivateVersion, ImportAreas, ImportRelease, ListVersions
from pricing_core.matching.model import Occupation
from pricing_core.matching.service import TitleMatcher
from pricing_core.ports import Clock, UnitOfWork
from pricing_core.pricing.policy import PricingPolicy
from pricing_core.pricing.ports import PolicyStore
from pricing_core.pricing.service import PriceJob
from pricing_core.ratelimit.service import RateLimiter
from pricing_core.requests.quote import PriceQuote

__all__ = ["MEMORY_URL", "Container", "Ports", "ReleaseLoader", "build_container"]

MEMORY_URL = "memory://"


class ReleaseLoader(CoreReleaseLoader[ReleaseFile], AreaWriter, Protocol):
    """Loads opened import files (the importers' ReleaseFile) and areas."""


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
    # What makes a change and its audit row commit together (`with unit_of_work.transaction()`).
    unit_of_work: UnitOfWork
    # What GET /ready answers: each dependency checked, within about a second.
    readiness: Readiness
    # Statement and operation figures (`pricing db stats`); `timing.timed(name)` times one.
    timing: Timing
    # The use cases every front door calls: the command line, the HTTP API and the worker.
    import_release: ImportRelease[ReleaseFile]
    import_areas: ImportAreas
    list_versions: ListVersions
    activate_version: ActivateVersion
    price_quote: PriceQuote
    # Background jobs: start, run, read; the broker's actors or this process's job thread.
    jobs: JobServices
    list_backups: ListBackups
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


def build_container(settings: Settings, *, ports: Ports | None = None) -> Container:
    """Assemble every service from settings; each field of `ports` replaces one piece.

    Nothing connects here: the database is migrated and seeded by `prepare`; nothing starts
    either: a process starts its logs, error reporting and flusher with `start_process`.
    """
    ports = ports or Ports()
    clock = ports.clock or SystemClock()
    metrics = ports.metrics or build_metrics(settings, clock)
    timing = ports.timing or Timing(observer=metrics)
    engine: Engine | None = None
    timer: QueryTimer | None = None
    uow: MemoryUnitOfWork | SqlUnitOfWork
    if settings.database_url == MEMORY_URL:
        uow = ports.unit_of_work or MemoryUnitOfWork()
        memory = InMemoryMarketRepository(clock=clock, uow=uow)
        market: MarketReader = memory
        admin: MarketAdmin = memory
        loader: ReleaseLoader = memory
    else:
        engine = make_engine(settings.database_url)
        timer = QueryTimer(
            engine,
            slow_seconds=settings.slow_query_ms / 1000,
            stats=timing.statements,
            observer=metrics,
        ).install()
        uow = SqlUnitOfWork(engine)
        reader = SqlMarketRepository(engine)
        sql_loader = SqlMarketLoader(engine, clock, reader, uow)
        market, admin, loader = reader, sql_loader, sql_loader
    market = ports.market or market
    admin = ports.market_admin or admin
    loader = ports.market_loader or loader
    metrics.track_market_data(lambda: market_import_times(market, admin))
    title_matcher = ports.title_matcher
    matcher = (
        (lambda: title_matcher)
        if title_matcher is not None
        else _matcher_for(market, settings.title_source)
    )
    policies: PolicyStore = ports.policies or (
        InMemoryPolicyStore(initial=ports.policy or PricingPolicy(), uow=uow)
        if isinstance(uow, MemoryUnitOfWork)
        else SqlPolicyStore(uow.engine, initial=ports.policy, uow=uow)
    )
    price_job = PriceJob(market=market)
    redis_link = connect_redis(settings)  # one pool and one breaker for every Redis use
    access = build_access(settings, clock, uow, ports, redis_link=redis_link)
    rate_limiter = build_rate_limiter(
        settings, clock, metrics, redis_link=redis_link, counters=ports.counters
    )
    auditor = Auditor(log=access.audit_log, clock=clock)
    requests = build_requests(
        uow=uow,
        clock=clock,
        access=access,
        policies=policies,
        price_job=price_job,
        title_matcher=matcher,
        title_source=settings.title_source,
        metrics=metrics,
        ports=ports,
    )
    import_release = ImportRelease(market=market, loader=loader, auditor=auditor)
    import_areas = ImportAreas(areas=loader, auditor=auditor)
    refresh = RefreshMarket(
        drop=FolderDrop(root=drop_dir(settings)),
        market=market,
        admin=admin,
        import_release=import_release,
        import_areas=import_areas,
        clock=clock,
    )
    price_quote = PriceQuote(price_inputs=requests.price_inputs)
    backups = build_backups(settings, engine, clock=clock, metrics=metrics, auditor=auditor)
    jobs = build_jobs(
        settings,
        engine=engine,
        clock=clock,
        audit_log=access.audit_log,
        metrics=metrics,
        kinds=[
            market_refresh_kind(refresh),
            *backup_job_kinds(backups),
            batch_kind(settings.data_dir, price_quote, clock),
        ],
    )
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
        requests=requests,
        rate_limiter=rate_limiter,
        metrics=metrics,
        unit_of_work=uow,
        readiness=Readiness(settings, engine, rate_limiter),
        timing=timing,
        import_release=import_release,
        import_areas=import_areas,
        list_versions=ListVersions(market=market, admin=admin),
        activate_version=ActivateVersion(market=market, admin=admin, auditor=auditor, uow=uow),
        price_quote=price_quote,
        jobs=jobs,
        list_backups=list_backups(jobs.store),
        engine=engine,
        query_timer=timer,
    )
