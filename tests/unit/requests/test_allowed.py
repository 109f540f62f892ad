"""`allowed_actions` offers exactly the actions the use cases then accept (pages rely on it)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pricing_core.access.model import Principal
from pricing_core.access.roles import Role
from pricing_core.errors import PricingError
from pricing_core.requests.allowed import allowed_actions
from pricing_core.requests.model import Action
from tests.unit.requests.conftest import INFO, INPUTS, Workflow, build_workflow, person

PEOPLE = {
    "ana (creator)": person(Role.HR_ANALYST, "ana"),
    "bob": person(Role.HR_ANALYST, "bob"),
    "max": person(Role.HR_MANAGER, "max"),
    "vic": person(Role.VIEWER, "vic"),
    "ada": person(Role.ADMIN, "ada"),
    "key": Principal(role=Role.ADMIN, api_key_id="k1"),
}
CREATOR = PEOPLE["ana (creator)"]


def _draft(flow: Workflow, creator: Principal) -> str:
    return flow.create(creator, INPUTS, INFO).request.id


def _submitted(flow: Workflow, creator: Principal) -> str:
    rid = _draft(flow, creator)
    flow.submit(creator, rid, INFO)
    return rid


def _approved(flow: Workflow, creator: Principal) -> str:
    rid = _submitted(flow, creator)
    flow.approve(PEOPLE["max"] if creator != PEOPLE["max"] else PEOPLE["ada"], rid, INFO)
    return rid


def _do(flow: Workflow, action: Action) -> Callable[[Principal, str], object]:
    return {
        Action.EDIT: lambda who, rid: flow.edit(who, rid, INPUTS, INFO),
        Action.SUBMIT: lambda who, rid: flow.submit(who, rid, INFO),
        Action.APPROVE: lambda who, rid: flow.approve(who, rid, INFO),
        Action.REJECT: lambda who, rid: flow.reject(who, rid, "not now", INFO),
        Action.DELETE: lambda who, rid: flow.delete(who, rid, INFO),
        Action.REPRICE: lambda who, rid: flow.reprice(who, rid, INFO),
    }[action]


@pytest.mark.parametrize("make", [_draft, _submitted, _approved])
@pytest.mark.parametrize("who", list(PEOPLE))
@pytest.mark.parametrize(
    "action",
    [Action.EDIT, Action.SUBMIT, Action.APPROVE, Action.REJECT, Action.DELETE, Action.REPRICE],
)
def test_offered_exactly_when_the_use_case_accepts(
    make: Callable[[Workflow, Principal], str], who: str, action: Action
) -> None:
    flow = build_workflow()
    rid = make(flow, CREATOR)
    actor = PEOPLE[who]
    offered = action in allowed_actions(actor, flow.store.requests[rid])
    try:
        _do(flow, action)(actor, rid)
        accepted = True
    except PricingError:
        accepted = False
    assert offered == accepted, f"{who} {action} on a {make.__name__[1:]} request"


def test_the_creator_is_never_offered_approval() -> None:
    flow = build_workflow()
    rid = _submitted(flow, CREATOR)
    assert Action.APPROVE not in allowed_actions(CREATOR, flow.store.requests[rid])
    assert Action.APPROVE in allowed_actions(PEOPLE["max"], flow.store.requests[rid])
