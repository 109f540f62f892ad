"""Hypothesis: whatever sequence of actions, by whoever, succeeds or fails, every request's
history has exactly one row per successful change, its revision counts them, its status is
the one the successful transitions lead to, and each success is audited once."""

from __future__ import annotations

from collections import Counter
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from pricing_core.access.model import Outcome, Principal
from pricing_core.access.roles import Role
from pricing_core.errors import PricingError
from pricing_core.requests.model import Action, AdjustedRange, RequestStatus
from pricing_core.requests.rules import TRANSITIONS
from tests.unit.requests.conftest import INFO, INPUTS, Workflow, build_workflow, person

ACTORS = (
    person(Role.HR_ANALYST, "ana"),
    person(Role.HR_ANALYST, "bob"),
    person(Role.HR_MANAGER, "max"),
    person(Role.HR_MANAGER, "mia"),
    person(Role.ADMIN, "ada"),
    person(Role.VIEWER, "vic"),
    Principal(role=Role.ADMIN, api_key_id="k1"),
)
ACTIONS = ("create", "edit", "submit", "approve", "adjust", "reject", "delete", "reprice")
RANGES = st.one_of(
    st.none(),
    st.tuples(*[st.sampled_from(["100", "150000", "150000.5", "-1", "1e20"])] * 3),
)

steps = st.lists(
    st.tuples(
        st.sampled_from(ACTIONS),
        st.integers(0, len(ACTORS) - 1),
        st.sampled_from([0, 0, 0, 1, 2, 5]),  # which request: 0 the newest, 1 the one before …
        st.sampled_from(["", "  ", "fine"]),
        RANGES,
        # Who acts: the drawn actor, the request's creator, or a manager who did not create it.
        st.sampled_from(["drawn", "creator", "other manager"]),
    ),
    max_size=25,
)
BY_ACTOR = {a.actor: a for a in ACTORS}


def _run(flow: Workflow, action: str, who: Principal, rid: str, comment: str, spread: Any) -> str:
    """The id of the request the action changed (or made); raises when it is refused."""
    if action == "create":
        return flow.create(who, INPUTS, INFO).request.id
    if action == "reprice":
        return flow.reprice(who, rid, INFO).request.id
    if action == "edit":
        flow.edit(who, rid, INPUTS, INFO)
    elif action == "submit":
        flow.submit(who, rid, INFO)
    elif action in ("approve", "adjust"):
        adjusted = None
        if action == "adjust" and spread is not None:
            low, mid, high = spread
            adjusted = AdjustedRange(minimum=low, midpoint=mid, maximum=high)
        flow.approve(who, rid, INFO, comment=comment, adjusted_range=adjusted)
    elif action == "reject":
        flow.reject(who, rid, comment, INFO)
    elif action == "delete":
        flow.delete(who, rid, INFO)
    return rid


HAPPY = [
    ("create", 0, 0, "", None, "drawn"),
    ("submit", 5, 0, "", None, "creator"),
    ("approve", 0, 0, "", None, "creator"),  # four-eyes: refused
    ("adjust", 0, 0, "", ("1", "2", "3"), "other manager"),  # no reason: refused
    ("adjust", 0, 0, "fine", ("1", "2", "3"), "other manager"),
    ("reprice", 1, 0, "", None, "drawn"),
    ("submit", 1, 0, "", None, "creator"),
    ("reject", 2, 0, "fine", None, "drawn"),
    ("reprice", 0, 0, "", None, "drawn"),
    ("delete", 4, 1, "", None, "drawn"),
]


@settings(max_examples=300, deadline=None)
@given(steps)
@example(HAPPY)
def test_history_length_equals_the_successful_changes(plan: list[Any]) -> None:
    flow = build_workflow()
    changes: Counter[str] = Counter()
    expected: dict[str, RequestStatus] = {}
    ids: list[str] = []
    for action, actor, target, comment, spread, acting in plan:
        rid = ids[-1 - target % len(ids)] if ids else "none"
        before = flow.store.get(rid)
        who = ACTORS[actor]
        if acting == "creator" and before is not None:
            who = BY_ACTOR[before.created_by]
        elif acting == "other manager" and before is not None:
            who = BY_ACTOR["mia" if before.created_by == "max" else "max"]
        try:
            changed = _run(flow, action, who, rid, comment, spread)
        except (PricingError, ValueError):
            assert flow.store.get(rid) == before  # a refusal changes nothing
            continue
        if action in ("create", "reprice"):
            ids.append(changed)
            expected[changed] = RequestStatus.DRAFT
        else:
            done = Action.APPROVE if action == "adjust" else Action(action)
            expected[changed] = TRANSITIONS[(expected[changed], done)]
        changes[changed] += 1
    audited = Counter(
        e.target_id
        for e in flow.audit.events
        if e.outcome is Outcome.SUCCESS and e.target_type == "pricing_request"
    )
    for rid in ids:
        stored = flow.store.get(rid)
        assert stored is not None
        history = flow.store.history(rid)
        assert len(history) == changes[rid] == stored.revision == audited[rid]
        assert stored.status is expected[rid]
        assert (stored.deleted_at is not None) == (history[-1].action is Action.DELETE)
        if stored.status is RequestStatus.APPROVED:
            assert stored.decision is not None
            assert stored.decision.by != stored.created_by  # four-eyes, whatever happened
        if stored.status is RequestStatus.REJECTED:
            assert stored.decision is not None
            assert stored.decision.by != stored.created_by  # for rejections too
