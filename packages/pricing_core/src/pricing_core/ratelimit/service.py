"""The rate limiter: the policy's quotas for a request, counted in the store, decided."""

from __future__ import annotations

import attrs

from pricing_core.errors import CounterStoreUnavailable
from pricing_core.ports import Clock, Metrics
from pricing_core.ratelimit.model import Caller, Decision, Limit, QuotaState, Usage
from pricing_core.ratelimit.policy import RateLimitPolicy
from pricing_core.ratelimit.ports import CounterStore

__all__ = ["RateLimiter"]


@attrs.frozen(kw_only=True)
class RateLimiter:
    """Decides one request: None when nothing limits it (exempt, unlimited role, disabled).

    Quotas are checked in the policy's order and checking stops at the first refusal, so a
    refused request spends nothing more. When the store raises CounterStoreUnavailable (no
    fallback answered), a `fail_open` quota lets the request through, marked degraded, and
    any other quota re-raises: authentication routes are never left unlimited.

    Each decision is reported to `metrics` as `allowed` or `limited`, and a request refused
    because the store did not answer as `unavailable`; requests nothing limits are not.
    """

    policy: RateLimitPolicy
    store: CounterStore
    clock: Clock
    metrics: Metrics | None = None

    @property
    def degraded(self) -> bool:
        """Whether counts are kept per process because the shared store is down."""
        return self.store.degraded

    def check(self, caller: Caller) -> Decision | None:
        limits = self.policy.limits_for(caller)
        if not limits:
            return None
        now = self.clock.now().timestamp()
        states: list[QuotaState] = []
        degraded = False
        for limit in limits:
            try:
                usage = self._hit(limit)
            except CounterStoreUnavailable:
                self._report("unavailable")
                raise
            degraded = degraded or usage.degraded
            states.append(QuotaState.of(limit.quota, usage, now))
            if not usage.allowed:
                break
        decision = Decision(states=tuple(states), degraded=degraded)
        self._report("allowed" if decision.allowed else "limited")
        return decision

    def _report(self, outcome: str) -> None:
        if self.metrics is not None:
            self.metrics.rate_limit(outcome)

    def _hit(self, limit: Limit) -> Usage:
        quota = limit.quota
        try:
            return self.store.hit(limit.key, quota.limit, quota.window)
        except CounterStoreUnavailable:
            if not quota.fail_open:
                raise
            # Unknown use: shown as untouched, so clients are not told to slow down.
            return Usage(allowed=True, remaining=quota.limit, reset_in=0.0, degraded=True)
