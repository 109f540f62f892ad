"""Gear for the workflow's unit tests, with the core alone: dict fakes for the stores, a
clock that ticks, counting ids, and the pricing rule book's small fake market. They wire the
core's use cases themselves: `nox -s core_isolated` runs them without the adapters."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import pytest

from pricing_core.access.audit import Auditor, RequestInfo
from pricing_core.access.model import AuditEvent, AuditQuery, Principal
from pricing_core.access.roles import Role
from pricing_core.errors import Conflict, NotFound
from pricing_core.pricing.model import Match
from pricing_core.pricing.policy import PricingPolicy
from pricing_core.pricing.ports import PolicyRecord
from pricing_core.pricing.service import PriceJob
from pricing_core.requests.decisions import ApproveRequest, RejectRequest, SubmitRequest
from pricing_core.requests.inputs import PricingInputs
from pricing_core.requests.ledger import Ledger
from pricing_core.requests.model import RequestEvent, RequestQuery, SavedRequest
from pricing_core.requests.pricer import PriceInputs
from pricing_core.requests.reading import GetRequest, ListRecommendations, ListRequests
from pricing_core.requests.service import CreateRequest, DeleteRequest, EditRequest, RepriceRequest
from tests.gear.clock import FakeClock
from tests.unit.pricing.conftest import EFFECTIVE, OEWS, SWE, build_market, make_cut

T0 = datetime(2026, 1, 1, 9, tzinfo=UTC)
STEP = timedelta(seconds=1)  # every change has a time of its own
INFO = RequestInfo(ip="192.0.2.1", user_agent="tests")
INPUTS = PricingInputs(
    matches=[Match(source=OEWS, job_code=SWE)], area="0041940", pricing_date=EFFECTIVE
)


def person(role: Role, name: str) -> Principal:
    return Principal(role=role, user_id=name)


class CountingIds:
    def __init__(self) -> None:
        self.count = 0

    def new_id(self) -> str:
        self.count += 1
        return f"r{self.count}"


class CountingUnitOfWork:
    """A unit of work for the dict fakes, which have nothing to undo: it counts the
    transactions and knows whether one is open, for tests that check what is written inside."""

    def __init__(self) -> None:
        self.opened = 0
        self.depth = 0

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.opened += 1
        self.depth += 1
        try:
            yield
        finally:
            self.depth -= 1


@attrs.define
class DictRequestStore:
    """The RequestStore contract over dicts (the adapters' own suite checks theirs)."""

    requests: dict[str, SavedRequest] = attrs.field(factory=dict)
    events: dict[str, list[RequestEvent]] = attrs.field(factory=dict)

    def add(self, request: SavedRequest, event: RequestEvent) -> None:
        if request.id in self.requests:
            raise Conflict("exists")
        self.requests[request.id] = request
        self.events[request.id] = [attrs.evolve(event, id=1)]

    def update(self, request: SavedRequest, event: RequestEvent, *, revision: int) -> None:
        stored = self.requests.get(request.id)
        if stored is None:
            raise NotFound("no such request")
        if stored.revision != revision:
            raise Conflict("changed meanwhile")
        self.requests[request.id] = request
        self.events[request.id].append(attrs.evolve(event, id=len(self.events[request.id]) + 1))

    def get(self, request_id: str) -> SavedRequest | None:
        return self.requests.get(request_id)

    def history(self, request_id: str) -> Sequence[RequestEvent]:
        return list(self.events.get(request_id, ()))

    def list(self, query: RequestQuery) -> tuple[Sequence[SavedRequest], int]:
        found = [
            r
            for r in self.requests.values()
            if r.deleted_at is None and (not query.statuses or r.status in query.statuses)
        ]
        found.sort(key=lambda r: r.created_at, reverse=True)
        return found[query.offset : query.offset + query.limit], len(found)


@attrs.define
class ListAuditLog:
    events: list[AuditEvent] = attrs.field(factory=list)

    def append(self, event: AuditEvent) -> None:
        self.events.append(event)

    def query(self, query: AuditQuery) -> tuple[Sequence[AuditEvent], int]:
        return list(reversed(self.events)), len(self.events)


@attrs.define
class ListPolicyStore:
    initial: PricingPolicy = attrs.field(factory=PricingPolicy)
    records: list[PolicyRecord] = attrs.field(factory=list)

    def current(self) -> PricingPolicy:
        return self.records[-1].policy if self.records else self.initial

    def save(self, policy: PricingPolicy, *, saved_at: datetime, saved_by: str) -> PricingPolicy:
        stored = attrs.evolve(policy, version=self.current().version + 1)
        self.records.append(PolicyRecord(policy=stored, saved_at=saved_at, saved_by=saved_by))
        return stored

    def history(self) -> Sequence[PolicyRecord]:
        return list(reversed(self.records))


@attrs.define
class Workflow:
    """Every use case over the fakes, and the fakes themselves for inspection."""

    store: DictRequestStore
    audit: ListAuditLog
    policies: ListPolicyStore
    market: Any
    clock: FakeClock
    create: CreateRequest
    get: GetRequest
    list_requests: ListRequests
    recommendations: ListRecommendations
    edit: EditRequest
    delete: DeleteRequest
    reprice: RepriceRequest
    submit: SubmitRequest
    approve: ApproveRequest
    reject: RejectRequest


def build_workflow() -> Workflow:
    market = build_market()
    market.add(make_cut())
    store, audit, policies, clock = (
        DictRequestStore(),
        ListAuditLog(),
        ListPolicyStore(),
        FakeClock(T0, step=STEP),
    )
    ledger = Ledger(
        store=store,
        auditor=Auditor(log=audit, clock=clock),
        clock=clock,
        ids=CountingIds(),
        uow=CountingUnitOfWork(),
    )
    price = PriceInputs(price_job=PriceJob(market=market), policies=policies, clock=clock)
    return Workflow(
        store=store,
        audit=audit,
        policies=policies,
        market=market,
        clock=clock,
        create=CreateRequest(ledger=ledger, price=price),
        get=GetRequest(ledger=ledger),
        list_requests=ListRequests(ledger=ledger),
        recommendations=ListRecommendations(ledger=ledger),
        edit=EditRequest(ledger=ledger, price=price),
        delete=DeleteRequest(ledger=ledger),
        reprice=RepriceRequest(ledger=ledger, price=price),
        submit=SubmitRequest(ledger=ledger),
        approve=ApproveRequest(ledger=ledger),
        reject=RejectRequest(ledger=ledger),
    )


@pytest.fixture
def flow() -> Workflow:
    return build_workflow()
