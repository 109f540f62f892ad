"""`Ports`: the pieces `build_container` would build, each replaceable by a value of its own.

Every field left None is built from the settings; a test or a tool passes the ones it wants
instead (a fake clock, a fast hasher, a store it inspects) and gets the rest wired as usual.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from pricing_core.access.passwords import PasswordPolicy
from pricing_core.access.ports import (
    ApiKeyStore,
    AuditLog,
    FailureCounter,
    PasswordHasher,
    RefreshTokenStore,
    RevocationStore,
    Secrets,
    TokenCodec,
    UserStore,
)
from pricing_core.market.ports import MarketAdmin, MarketReader
from pricing_core.matching.service import TitleMatcher
from pricing_core.ports import Clock
from pricing_core.pricing.policy import PricingPolicy
from pricing_core.pricing.ports import PolicyStore
from pricing_core.ratelimit.ports import CounterStore
from pricing_core.requests.ports import Ids, RequestStore

if TYPE_CHECKING:
    from pricing_adapters.bootstrap import ReleaseLoader
    from pricing_adapters.memory_uow import MemoryUnitOfWork
    from pricing_adapters.prometheus_metrics import PrometheusMetrics
    from pricing_adapters.timing import Timing

__all__ = ["Ports"]


@attrs.frozen(kw_only=True)
class Ports:
    """Overrides for `build_container`; None builds the usual adapter from the settings."""

    clock: Clock | None = None
    metrics: PrometheusMetrics | None = None
    timing: Timing | None = None
    # Market data: a reader, its administration and its loader (often one object).
    market: MarketReader | None = None
    market_admin: MarketAdmin | None = None
    market_loader: ReleaseLoader | None = None
    title_matcher: TitleMatcher | None = None
    # The policy store, or the policy a new store starts with.
    policies: PolicyStore | None = None
    policy: PricingPolicy | None = None
    # Access: stores, the password hasher and rules, the token codec, random values.
    users: UserStore | None = None
    refresh_tokens: RefreshTokenStore | None = None
    revocations: RevocationStore | None = None
    api_keys: ApiKeyStore | None = None
    audit_log: AuditLog | None = None
    failures: FailureCounter | None = None
    hasher: PasswordHasher | None = None
    passwords: PasswordPolicy | None = None
    token_codec: TokenCodec | None = None
    secrets: Secrets | None = None
    # Saved pricing requests and their ids.
    request_store: RequestStore | None = None
    request_ids: Ids | None = None
    # The rate limiter's counters (Redis with a memory fallback, or memory).
    counters: CounterStore | None = None
    # memory:// only: the unit of work the in-memory stores share (a test's audit store that
    # takes part in it comes with it as `audit_log`).
    unit_of_work: MemoryUnitOfWork | None = None
