"""The saved-request workflow and the policy settings, assembled from their stores."""

from __future__ import annotations

from collections.abc import Callable

import attrs

from pricing_adapters.access_wiring import AccessServices
from pricing_adapters.memory_uow import MemoryUnitOfWork
from pricing_adapters.ports import Ports
from pricing_adapters.requests_memory import InMemoryRequestStore
from pricing_adapters.secrets import SystemSecrets
from pricing_adapters.sql.requests import SqlRequestStore
from pricing_adapters.sql.unit_of_work import SqlUnitOfWork
from pricing_core.access.audit import Auditor
from pricing_core.matching.service import TitleMatcher
from pricing_core.ports import Clock, Metrics
from pricing_core.pricing.by_title import PriceTitle
from pricing_core.pricing.policy_admin import ReadPolicy, UpdatePolicy
from pricing_core.pricing.ports import PolicyStore
from pricing_core.pricing.service import PriceJob
from pricing_core.requests.decisions import ApproveRequest, RejectRequest, SubmitRequest
from pricing_core.requests.ledger import Ledger
from pricing_core.requests.ports import RequestStore
from pricing_core.requests.pricer import PriceInputs
from pricing_core.requests.reading import GetRequest, ListRecommendations, ListRequests
from pricing_core.requests.service import (
    CreateRequest,
    DeleteRequest,
    EditRequest,
    RepriceRequest,
)

__all__ = ["RequestServices", "build_requests"]


@attrs.frozen(kw_only=True)
class RequestServices:
    """Every use case of saved requests and policy settings, plus the request store."""

    store: RequestStore
    price_inputs: PriceInputs
    create: CreateRequest
    list_requests: ListRequests
    list_recommendations: ListRecommendations
    get: GetRequest
    edit: EditRequest
    delete: DeleteRequest
    reprice: RepriceRequest
    submit: SubmitRequest
    approve: ApproveRequest
    reject: RejectRequest
    read_policy: ReadPolicy
    update_policy: UpdatePolicy


def build_requests(
    *,
    uow: MemoryUnitOfWork | SqlUnitOfWork,
    clock: Clock,
    access: AccessServices,
    policies: PolicyStore,
    price_job: PriceJob,
    title_matcher: Callable[[], TitleMatcher],
    title_source: str,
    metrics: Metrics | None = None,
    ports: Ports | None = None,
) -> RequestServices:
    ports = ports or Ports()
    store: RequestStore = ports.request_store or (
        InMemoryRequestStore(uow=uow)
        if isinstance(uow, MemoryUnitOfWork)
        else SqlRequestStore(uow.engine, uow)
    )
    auditor = Auditor(log=access.audit_log, clock=clock)
    ids = ports.request_ids or SystemSecrets()
    ledger = Ledger(store=store, auditor=auditor, clock=clock, ids=ids, uow=uow)
    price = PriceInputs(
        price_job=price_job,
        policies=policies,
        clock=clock,
        price_title=PriceTitle(price_job=price_job, matcher=title_matcher, source=title_source),
        metrics=metrics,
    )
    return RequestServices(
        store=store,
        price_inputs=price,
        create=CreateRequest(ledger=ledger, price=price),
        list_requests=ListRequests(ledger=ledger),
        list_recommendations=ListRecommendations(ledger=ledger),
        get=GetRequest(ledger=ledger),
        edit=EditRequest(ledger=ledger, price=price),
        delete=DeleteRequest(ledger=ledger),
        reprice=RepriceRequest(ledger=ledger, price=price),
        submit=SubmitRequest(ledger=ledger),
        approve=ApproveRequest(ledger=ledger),
        reject=RejectRequest(ledger=ledger),
        read_policy=ReadPolicy(policies=policies),
        update_policy=UpdatePolicy(policies=policies, auditor=auditor, clock=clock, uow=uow),
    )
