"""The pricing policy kept in memory: the embedded default with no database."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import datetime

import attrs

from pricing_adapters.memory_uow import MemoryUnitOfWork
from pricing_core.pricing.policy import PricingPolicy
from pricing_core.pricing.ports import PolicyRecord, PolicyStore

__all__ = ["InMemoryPolicyStore"]


@attrs.define
class InMemoryPolicyStore(PolicyStore):
    """Saved versions in a list; `initial` is in force until the first save. A save takes
    part in the unit of work `uow`."""

    initial: PricingPolicy = attrs.field(factory=PricingPolicy)
    _records: list[PolicyRecord] = attrs.field(factory=list)
    uow: MemoryUnitOfWork = attrs.field(factory=MemoryUnitOfWork, kw_only=True)

    @property
    def _lock(self) -> threading.RLock:
        return self.uow.lock

    def current(self) -> PricingPolicy:
        with self._lock:
            return self._records[-1].policy if self._records else self.initial

    def save(self, policy: PricingPolicy, *, saved_at: datetime, saved_by: str) -> PricingPolicy:
        with self._lock:
            latest = (self._records[-1].policy if self._records else self.initial).version
            stored = attrs.evolve(policy, version=latest + 1)
            self._records.append(PolicyRecord(policy=stored, saved_at=saved_at, saved_by=saved_by))
            self.uow.journal(self._records.pop)
            return stored

    def history(self) -> Sequence[PolicyRecord]:
        with self._lock:
            return list(reversed(self._records))
