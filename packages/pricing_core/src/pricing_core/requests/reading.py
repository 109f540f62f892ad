"""Reading saved requests: anyone who may view pricing reads every request, in any status."""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from pricing_core.access.audit import require
from pricing_core.access.model import Principal
from pricing_core.access.roles import Permission
from pricing_core.errors import InvalidRequest
from pricing_core.requests.ledger import Ledger
from pricing_core.requests.model import (
    RECOMMENDATION_STATUSES,
    RequestDetail,
    RequestQuery,
    SavedRequest,
)

__all__ = ["GetRequest", "ListRecommendations", "ListRequests"]


@attrs.frozen(kw_only=True)
class ListRequests:
    """A page of requests in any status (VIEW_JOB_PRICING), newest first, and the total."""

    ledger: Ledger

    def __call__(self, actor: Principal, query: RequestQuery) -> tuple[Sequence[SavedRequest], int]:
        require(actor, Permission.VIEW_JOB_PRICING)
        return self.ledger.store.list(query)


@attrs.frozen(kw_only=True)
class ListRecommendations:
    """Submitted, approved and rejected requests (VIEW_SALARY_RECOMMENDATIONS)."""

    ledger: Ledger

    def __call__(self, actor: Principal, query: RequestQuery) -> tuple[Sequence[SavedRequest], int]:
        require(actor, Permission.VIEW_SALARY_RECOMMENDATIONS)
        if not query.statuses <= RECOMMENDATION_STATUSES:
            raise InvalidRequest("status", "a recommendation is submitted, approved or rejected")
        statuses = query.statuses or RECOMMENDATION_STATUSES
        return self.ledger.store.list(attrs.evolve(query, statuses=statuses))


@attrs.frozen(kw_only=True)
class GetRequest:
    """One request with its history (VIEW_JOB_PRICING)."""

    ledger: Ledger

    def __call__(self, actor: Principal, request_id: str) -> RequestDetail:
        require(actor, Permission.VIEW_JOB_PRICING)
        return self.ledger.detail(self.ledger.load(request_id))
