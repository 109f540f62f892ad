"""The RequestStore and PolicyStore contracts, on memory, SQLite and PostgreSQL.

Every backend keeps a request exactly (inputs, result JSON, decision, decimals, microseconds),
changes it only at the revision the caller read, with its history row in the same step, and
lists live requests newest first with their total. Policy versions number up from the one in
force and keep decimals digit for digit.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs
import pytest

from pricing_core.errors import Conflict, NotFound
from pricing_core.pricing.model import Match, PricingOptions
from pricing_core.pricing.policy import PricingPolicy
from pricing_core.pricing.ports import PolicyStore
from pricing_core.requests.inputs import PricingInputs
from pricing_core.requests.model import (
    Action,
    AdjustedRange,
    Decision,
    RequestEvent,
    RequestQuery,
    RequestStatus,
    SavedRequest,
)
from pricing_core.requests.ports import RequestStore

T0 = datetime(2026, 1, 1, 12, 30, 15, 123456, tzinfo=UTC)
RESULT = {
    "currency": "USD",
    "market_rate": 218470.11,
    "range": {"minimum": 174800, "midpoint": 218500, "maximum": 262200, "spread": 0.5},
    "dataset_versions": {"oews-2025": "2025A01"},
    "policy_version": 3,
    "warnings": ["ünïcode ✓"],
}


@attrs.frozen
class Stores:
    kind: str
    requests: RequestStore
    policies: Any  # a PolicyStore factory: (initial) -> PolicyStore


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def stores(request: pytest.FixtureRequest) -> Iterator[Stores]:
    if request.param == "memory":
        from pricing_adapters.policy_memory import InMemoryPolicyStore
        from pricing_adapters.requests_memory import InMemoryRequestStore

        yield Stores(
            "memory",
            InMemoryRequestStore(),
            lambda initial=None: InMemoryPolicyStore(initial=initial or PricingPolicy()),
        )
        return
    from pricing_adapters.sql.engine import make_engine
    from pricing_adapters.sql.migrate import upgrade
    from pricing_adapters.sql.policies import SqlPolicyStore
    from pricing_adapters.sql.requests import SqlRequestStore

    engine = make_engine(request.getfixturevalue(f"{request.param}_url"))
    upgrade(engine)
    yield Stores(
        request.param,
        SqlRequestStore(engine),
        lambda initial=None: SqlPolicyStore(engine, initial=initial),
    )
    engine.dispose()


def saved(number: int = 1, **changes: Any) -> SavedRequest:
    at = T0 + timedelta(minutes=number)
    request = SavedRequest(
        id=f"req-{number}",
        status=RequestStatus.DRAFT,
        revision=1,
        inputs=PricingInputs(
            matches=[Match(source="oews-2025", job_code="15-1252", adjustment="0.05")],
            area="0041940",
            pricing_date=date(2026, 1, 1),
            options=PricingOptions(positioning="0.025", level="senior"),
        ),
        result=RESULT,
        job_code="15-1252",
        area_code="0041940",
        dataset_versions={"oews-2025": "2025A01"},
        policy_version=3,
        created_by="analyst-1",
        created_at=at,
        updated_at=at,
    )
    return attrs.evolve(request, **changes)


def event(request: SavedRequest, action: Action = Action.CREATE, **detail: Any) -> RequestEvent:
    return RequestEvent(
        request_id=request.id,
        at=request.updated_at,
        actor=request.created_by,
        action=action,
        detail=detail,
    )


def test_a_request_reads_back_exactly_as_stored(stores: Stores) -> None:
    decided = saved(
        status=RequestStatus.APPROVED,
        revision=3,
        decision=Decision(
            by="manager-1",
            at=T0 + timedelta(hours=1, microseconds=7),
            comment="retention risk\nsecond line",
            adjusted_range=AdjustedRange(minimum="180000.01", midpoint=215000, maximum="250000"),
        ),
        repriced_from=None,
        comparison={"difference": {"market_rate": -12.5}},
    )
    stores.requests.add(decided, event(decided, note="ünïcode"))
    assert stores.requests.get(decided.id) == decided
    [first] = stores.requests.history(decided.id)
    assert first.id is not None
    assert attrs.evolve(first, id=None) == event(decided, note="ünïcode")
    assert stores.requests.get("no-such") is None
    assert stores.requests.history("no-such") == []


def test_a_title_request_reads_back_too(stores: Stores) -> None:
    titled = saved(inputs=PricingInputs(title="Software Developer", area="San Jose"))
    stores.requests.add(titled, event(titled))
    assert stores.requests.get(titled.id) == titled


def test_an_id_is_added_once(stores: Stores) -> None:
    first = saved()
    stores.requests.add(first, event(first))
    with pytest.raises(Conflict):
        stores.requests.add(saved(created_by="someone-else"), event(first))
    assert stores.requests.get(first.id) == first
    assert len(stores.requests.history(first.id)) == 1


def test_an_update_at_the_read_revision_replaces_it_with_its_history_row(stores: Stores) -> None:
    draft = saved()
    stores.requests.add(draft, event(draft))
    later = draft.updated_at + timedelta(seconds=1)
    submitted = attrs.evolve(draft, status=RequestStatus.SUBMITTED, revision=2, updated_at=later)
    stores.requests.update(submitted, event(submitted, Action.SUBMIT), revision=1)
    assert stores.requests.get(draft.id) == submitted
    history = stores.requests.history(draft.id)
    assert [e.action for e in history] == [Action.CREATE, Action.SUBMIT]
    assert history[0].id is not None
    assert history[1].id is not None
    assert history[0].id < history[1].id


def test_a_stale_revision_changes_nothing(stores: Stores) -> None:
    draft = saved()
    stores.requests.add(draft, event(draft))
    edited = attrs.evolve(draft, revision=2, policy_version=4)
    stores.requests.update(edited, event(edited, Action.EDIT), revision=1)
    stale = attrs.evolve(draft, status=RequestStatus.SUBMITTED, revision=2)
    with pytest.raises(Conflict):
        stores.requests.update(stale, event(stale, Action.SUBMIT), revision=1)
    assert stores.requests.get(draft.id) == edited
    assert len(stores.requests.history(draft.id)) == 2
    with pytest.raises(NotFound):
        stores.requests.update(saved(9), event(saved(9)), revision=1)


def test_concurrent_changes_of_one_revision_let_exactly_one_through(stores: Stores) -> None:
    draft = saved()
    stores.requests.add(draft, event(draft))
    outcomes: list[str] = []
    barrier = threading.Barrier(8)

    def change(n: int) -> None:
        changed = attrs.evolve(draft, revision=2, policy_version=100 + n)
        barrier.wait()
        try:
            stores.requests.update(changed, event(changed, Action.EDIT, n=n), revision=1)
            outcomes.append("ok")
        except Conflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=change, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict"] * 7 + ["ok"]
    history = stores.requests.history(draft.id)
    assert len(history) == 2
    stored = stores.requests.get(draft.id)
    assert stored is not None
    assert stored.policy_version == 100 + history[1].detail["n"]


def test_lists_filter_live_requests_newest_first_with_the_total(stores: Stores) -> None:
    made = [
        saved(1),
        saved(2, status=RequestStatus.SUBMITTED),
        saved(3, job_code="29-1211", created_by="analyst-2"),
        saved(4, area_code="0000000", status=RequestStatus.APPROVED),
        saved(5, deleted_at=T0 + timedelta(days=1)),
    ]
    for request in made:
        stores.requests.add(request, event(request))

    def ids(**query: Any) -> tuple[list[str], int]:
        found, total = stores.requests.list(RequestQuery(**query))
        return [r.id for r in found], total

    assert ids() == (["req-4", "req-3", "req-2", "req-1"], 4)
    assert ids(statuses=["draft"]) == (["req-3", "req-1"], 2)
    assert ids(statuses=["submitted", "approved"]) == (["req-4", "req-2"], 2)
    assert ids(job_code="291211") == (["req-3"], 1)
    assert ids(area_code="0000000") == (["req-4"], 1)
    assert ids(created_by="analyst-2") == (["req-3"], 1)
    assert ids(created_by="analyst-1", statuses=["draft"]) == (["req-1"], 1)
    assert ids(limit=2, offset=1) == (["req-3", "req-2"], 4)
    assert ids(offset=10) == ([], 4)
    assert ids(created_by="nobody") == ([], 0)
    deleted = stores.requests.get("req-5")
    assert deleted is not None
    assert deleted.deleted_at == T0 + timedelta(days=1)


def test_the_policy_in_force_starts_at_the_initial_one_and_versions_count_up(
    stores: Stores,
) -> None:
    policies: PolicyStore = stores.policies()
    assert policies.current() == PricingPolicy()
    assert policies.history() == []
    exact = Decimal("0.0312345678901234567890123")
    first = policies.save(
        PricingPolicy(aging_rate=exact, source_weights={"mercer-2025": "1.50"}),
        saved_at=T0,
        saved_by="admin-1",
    )
    assert first.version == 2
    assert first.aging_rate == exact
    assert str(first.source_weights["mercer-2025"]) == "1.50"
    second = policies.save(
        attrs.evolve(first, range_spread=Decimal("0.4")), saved_at=T0, saved_by="admin-2"
    )
    assert second.version == 3
    assert policies.current() == second
    history = policies.history()
    assert [(r.policy.version, r.saved_by, r.saved_at) for r in history] == [
        (3, "admin-2", T0),
        (2, "admin-1", T0),
    ]
    assert history[1].policy == first


def test_a_save_through_one_store_is_in_force_in_another_at_once(stores: Stores) -> None:
    if stores.kind == "memory":
        pytest.skip("one process's memory: there is no other store to see it")
    # Two stores on one database stand for two API processes: the second has read (and
    # remembered) the policy before the first saves a new one.
    here, there = stores.policies(), stores.policies()
    assert there.current() == PricingPolicy()
    saved_policy = here.save(
        PricingPolicy(range_spread=Decimal("0.25")), saved_at=T0, saved_by="admin"
    )
    assert there.current() == saved_policy
    assert there.current().range_spread == Decimal("0.25")


def test_an_initial_policy_is_in_force_until_the_first_save(stores: Stores) -> None:
    initial = PricingPolicy(range_spread="0.3")
    policies: PolicyStore = stores.policies(initial)
    assert policies.current() == initial
    saved_policy = policies.save(initial, saved_at=T0, saved_by="admin")
    assert saved_policy.version == 2
    assert policies.current().range_spread == Decimal("0.3")


def test_concurrent_saves_never_share_a_version(stores: Stores) -> None:
    policies: PolicyStore = stores.policies()
    barrier = threading.Barrier(6)
    versions: list[int] = []
    conflicts: list[Conflict] = []

    def save(n: int) -> None:
        barrier.wait()
        try:
            stored = policies.save(
                PricingPolicy(min_organizations=n), saved_at=T0, saved_by=f"admin-{n}"
            )
            versions.append(stored.version)
        except Conflict as error:
            conflicts.append(error)

    threads = [threading.Thread(target=save, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(versions) + len(conflicts) == 6
    assert len(set(versions)) == len(versions) >= 1
    assert [r.policy.version for r in policies.history()] == sorted(versions, reverse=True)
    assert policies.current().version == max(versions)
