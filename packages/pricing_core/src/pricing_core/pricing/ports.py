"""Where the pricing policy lives: versioned, so a result can name the policy it used."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

import attrs

from pricing_core.pricing.policy import PricingPolicy

__all__ = ["PolicyRecord", "PolicyStore"]


@attrs.frozen(kw_only=True)
class PolicyRecord:
    """One saved version of the policy; `policy.version` is its number."""

    policy: PricingPolicy
    saved_at: datetime | None = None
    saved_by: str | None = None


class PolicyStore(Protocol):
    def current(self) -> PricingPolicy:
        """The policy in force: the newest saved version, or the rule book's defaults (v1)."""
        ...

    def save(self, policy: PricingPolicy, *, saved_at: datetime, saved_by: str) -> PricingPolicy:
        """Store `policy` as the next version and return it with that version number."""
        ...

    def history(self) -> Sequence[PolicyRecord]:
        """Every saved version, newest first."""
        ...
