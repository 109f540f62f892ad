"""The pricing policy's versions on SQL: one row per saved version, decimals kept exact."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Row, bindparam, func, select
from sqlalchemy.exc import IntegrityError

from pricing_adapters.sql.engine import for_reads
from pricing_adapters.sql.tables import pricing_policies
from pricing_adapters.sql.unit_of_work import SqlUnitOfWork
from pricing_core.errors import Conflict
from pricing_core.pricing.policy import PricingPolicy
from pricing_core.pricing.policy_json import policy_as_json, policy_from_json
from pricing_core.pricing.ports import PolicyRecord, PolicyStore

__all__ = ["SqlPolicyStore"]

NEWEST_VERSION = select(func.max(pricing_policies.c.version))
POLICY_TEXT = select(pricing_policies.c.policy).where(
    pricing_policies.c.version == bindparam("version")
)


def _record(row: Row[Any]) -> PolicyRecord:
    policy = policy_from_json(json.loads(row.policy), version=row.version)
    return PolicyRecord(policy=policy, saved_at=row.saved_at, saved_by=row.saved_by)


class SqlPolicyStore(PolicyStore):
    """`initial` (the rule book's defaults unless given) is in force until the first save.

    Every process reads the newest row, so a change is in force everywhere at once. Two saves
    at the same moment cannot both take one version number: the second gets Conflict.

    A save joins the unit of work `uow`'s open transaction. `current()` reads committed
    versions only, on a connection of its own: what it parses is kept, and a version of a
    transaction that rolls back must not be.
    """

    def __init__(
        self,
        engine: Engine,
        *,
        initial: PricingPolicy | None = None,
        uow: SqlUnitOfWork | None = None,
    ) -> None:
        self._db = uow or SqlUnitOfWork(engine)
        self._reads = for_reads(engine)
        self._initial = initial or PricingPolicy()
        self._parsed: tuple[int, PricingPolicy] | None = None

    def current(self) -> PricingPolicy:
        # Every quote asks: read the newest version number (an index lookup) and parse the
        # policy only when it differs from the one parsed last time.
        with self._reads.connect() as conn:
            version = conn.execute(NEWEST_VERSION).scalar()
            if version is None:
                return self._initial
            parsed = self._parsed
            if parsed is not None and parsed[0] == version:
                return parsed[1]
            text = conn.execute(POLICY_TEXT, {"version": version}).scalar_one()
        policy = policy_from_json(json.loads(text), version=version)
        self._parsed = (version, policy)
        return policy

    def save(self, policy: PricingPolicy, *, saved_at: datetime, saved_by: str) -> PricingPolicy:
        text = json.dumps(policy_as_json(policy), sort_keys=True)
        try:
            with self._db.begin() as conn:
                latest = conn.execute(select(func.max(pricing_policies.c.version))).scalar()
                version = max(latest or 0, self._initial.version) + 1
                conn.execute(
                    pricing_policies.insert().values(
                        version=version, policy=text, saved_at=saved_at, saved_by=saved_by
                    )
                )
        except IntegrityError:
            raise Conflict("the pricing policy was changed meanwhile; try again") from None
        return policy_from_json(json.loads(text), version=version)

    def history(self) -> Sequence[PolicyRecord]:
        query = select(pricing_policies).order_by(pricing_policies.c.version.desc())
        with self._db.connect() as conn:
            return [_record(r) for r in conn.execute(query).all()]
