"""The saved-request use cases with the core alone: permissions re-checked in each use case,
ownership of drafts, the four-eyes rule, decisions, history and audit rows."""

from __future__ import annotations

import contextlib
from decimal import Decimal

import attrs
import pytest

from pricing_core.access.model import Outcome, Principal
from pricing_core.access.roles import Role
from pricing_core.errors import Conflict, Forbidden, InvalidRequest, NotFound
from pricing_core.pricing.model import PricingOptions
from pricing_core.requests.model import Action, AdjustedRange, RequestQuery, RequestStatus
from tests.unit.pricing.conftest import make_cut
from tests.unit.requests.conftest import INFO, INPUTS, Workflow, person

ANA = person(Role.HR_ANALYST, "ana")
BOB = person(Role.HR_ANALYST, "bob")
MAX = person(Role.HR_MANAGER, "max")
MIA = person(Role.HR_MANAGER, "mia")
VIC = person(Role.VIEWER, "vic")
ADA = person(Role.ADMIN, "ada")
KEY = Principal(role=Role.ADMIN, api_key_id="k1")


def _submitted(flow: Workflow, who: Principal = ANA) -> str:
    rid = flow.create(who, INPUTS, INFO).request.id
    flow.submit(who, rid, INFO)
    return rid


def test_create_prices_now_and_saves_a_draft_with_its_facts(flow: Workflow) -> None:
    detail = flow.create(ANA, INPUTS, INFO)
    request = detail.request
    assert (request.status, request.revision, request.created_by) == (
        RequestStatus.DRAFT,
        1,
        "ana",
    )
    assert request.result["market_rate"] == 150000.0
    assert request.result["policy_version"] == request.policy_version == 1
    assert request.dataset_versions == {"oews-2025": "2025A01"}
    assert (request.job_code, request.area_code) == ("15-1252", "0041940")
    assert [(e.action, e.actor) for e in detail.history] == [(Action.CREATE, "ana")]
    [row] = flow.audit.events
    assert (row.action, row.outcome, row.target_id) == (
        "pricing_request_create",
        Outcome.SUCCESS,
        request.id,
    )


def test_a_request_that_cannot_be_priced_saves_nothing(flow: Workflow) -> None:
    with pytest.raises(InvalidRequest):
        flow.create(ANA, attrs.evolve(INPUTS, options=PricingOptions(industry="999999")), INFO)
    assert flow.store.requests == {}
    assert flow.audit.events == []


@pytest.mark.parametrize(
    ("call", "allowed"),
    [
        ("create", {Role.HR_ANALYST, Role.HR_MANAGER, Role.ADMIN}),
        ("list_requests", set(Role)),
        ("recommendations", set(Role)),
        ("delete", {Role.ADMIN}),
        ("approve", {Role.HR_MANAGER, Role.ADMIN}),
        ("reject", {Role.HR_MANAGER, Role.ADMIN}),
        ("submit", {Role.HR_ANALYST, Role.HR_MANAGER, Role.ADMIN}),
        ("edit", {Role.HR_ANALYST, Role.HR_MANAGER, Role.ADMIN}),
        ("reprice", {Role.HR_ANALYST, Role.HR_MANAGER, Role.ADMIN}),
    ],
)
def test_each_use_case_checks_its_permission_itself(
    flow: Workflow, call: str, allowed: set[Role]
) -> None:
    rid = flow.create(ADA, INPUTS, INFO).request.id
    arguments = {
        "create": (INPUTS, INFO),
        "list_requests": (RequestQuery(),),
        "recommendations": (RequestQuery(),),
        "delete": (rid, INFO),
        "approve": (rid, INFO),
        "reject": (rid, "no", INFO),
        "submit": (rid, INFO),
        "edit": (rid, INPUTS, INFO),
        "reprice": (rid, INFO),
    }[call]
    for role in Role:
        who = person(role, "ada")  # the creator: only the permission can refuse
        if role not in allowed:
            with pytest.raises(Forbidden, match="is required"):
                getattr(flow, call)(who, *arguments)
            continue
        # Past the permission, the workflow's own rules may still refuse (a state, a comment).
        with contextlib.suppress(Conflict, InvalidRequest):
            getattr(flow, call)(who, *arguments)


def test_only_its_creator_edits_or_submits_a_draft_and_the_refusal_is_audited(
    flow: Workflow,
) -> None:
    rid = flow.create(ANA, INPUTS, INFO).request.id
    for who in (BOB, MAX, ADA):
        with pytest.raises(Forbidden, match="only the creator"):
            flow.edit(who, rid, INPUTS, INFO)
        with pytest.raises(Forbidden, match="only the creator"):
            flow.submit(who, rid, INFO)
    denied = [e for e in flow.audit.events if e.outcome is Outcome.DENIED]
    assert len(denied) == 6
    assert flow.get(VIC, rid).request.revision == 1


def test_edit_reprices_with_the_policy_now_in_force(flow: Workflow) -> None:
    rid = flow.create(ANA, INPUTS, INFO).request.id
    flow.policies.save(
        attrs.evolve(flow.policies.current(), range_spread="0.2"),
        saved_at=flow.clock.now(),
        saved_by="ada",
    )
    detail = flow.edit(
        ANA, rid, attrs.evolve(INPUTS, options=attrs.evolve(INPUTS.options, percentile=75)), INFO
    )
    request = detail.request
    assert (request.revision, request.policy_version) == (2, 2)
    assert request.result["market_rate"] == 180000.0
    assert request.result["range"]["spread"] == 0.2
    edit = detail.history[-1]
    assert edit.action is Action.EDIT
    assert edit.detail["changed"] == ["percentile"]
    assert edit.detail["previous_market_rate"] == 150000.0


def test_four_eyes_its_creator_never_rejects_it_either(flow: Workflow) -> None:
    """Issue 11: a manager may not reject their own request."""
    for creator in (MAX, ADA):
        rid = _submitted(flow, creator)
        with pytest.raises(Forbidden, match=r"four-eyes.*reject"):
            flow.reject(creator, rid, "not needed after all", INFO)
        assert flow.get(VIC, rid).request.status is RequestStatus.SUBMITTED
        assert flow.reject(MIA, rid, "not needed", INFO).request.status is RequestStatus.REJECTED
    denied = [e for e in flow.audit.events if e.outcome is Outcome.DENIED]
    assert [(e.action, e.actor) for e in denied] == [
        ("pricing_request_reject", "max"),
        ("pricing_request_reject", "ada"),
    ]


def test_four_eyes_its_creator_never_approves_it(flow: Workflow) -> None:
    for creator in (MAX, ADA):
        rid = _submitted(flow, creator)
        with pytest.raises(Forbidden, match="four-eyes"):
            flow.approve(creator, rid, INFO)
        assert flow.get(VIC, rid).request.status is RequestStatus.SUBMITTED
        assert flow.approve(MIA, rid, INFO).request.status is RequestStatus.APPROVED
    denied = [e for e in flow.audit.events if e.outcome is Outcome.DENIED]
    assert [(e.action, e.actor) for e in denied] == [
        ("pricing_request_approve", "max"),
        ("pricing_request_approve", "ada"),
    ]


def test_decisions_need_a_person_not_an_api_key(flow: Workflow) -> None:
    rid = _submitted(flow)
    with pytest.raises(Forbidden, match="API key"):
        flow.approve(KEY, rid, INFO)
    with pytest.raises(Forbidden, match="API key"):
        flow.reject(KEY, rid, "no", INFO)


def test_an_approval_may_adjust_the_range_with_a_reason(flow: Workflow) -> None:
    rid = _submitted(flow)
    adjusted = AdjustedRange(minimum=120000, midpoint="151000.50", maximum=190000)
    with pytest.raises(InvalidRequest, match="comment: is required when adjusting"):
        flow.approve(MAX, rid, INFO, adjusted_range=adjusted)
    detail = flow.approve(MAX, rid, INFO, comment="retention", adjusted_range=adjusted)
    decision = detail.request.decision
    assert decision is not None
    assert (decision.by, decision.comment, decision.adjusted_range) == (
        "max",
        "retention",
        adjusted,
    )
    assert detail.request.result["range"]["midpoint"] == 150000  # the priced result stays
    assert detail.history[-1].detail["adjusted_range"] == {
        "minimum": "120000",
        "midpoint": "151000.50",
        "maximum": "190000",
    }


def test_a_rejection_needs_a_comment(flow: Workflow) -> None:
    rid = _submitted(flow, MAX)
    with pytest.raises(InvalidRequest, match="comment"):
        flow.reject(MIA, rid, "  ", INFO)
    detail = flow.reject(MIA, rid, "wrong job", INFO)
    assert detail.request.status is RequestStatus.REJECTED
    assert detail.request.decision is not None
    assert detail.request.decision.comment == "wrong job"


def test_reprice_makes_a_new_draft_and_leaves_the_decided_one_alone(flow: Workflow) -> None:
    rid = _submitted(flow)
    approved = flow.approve(MAX, rid, INFO).request
    flow.market.source_by_name["oews-2025"] = attrs.evolve(
        flow.market.source_by_name["oews-2025"], active_version="2026A01"
    )
    flow.market.add(make_cut((110000, 130000, 165000, 190000, 210000), version="2026A01"))
    flow.market.add(
        *[
            attrs.evolve(c, version="2026A01")
            for k, c in list(flow.market.cut_by_key.items())
            if k[2] == "00-0000"
        ]
    )
    draft = flow.reprice(BOB, rid, INFO)
    assert (draft.request.status, draft.request.created_by) == (RequestStatus.DRAFT, "bob")
    assert draft.request.repriced_from == rid
    assert draft.request.dataset_versions == {"oews-2025": "2026A01"}
    assert draft.request.comparison is not None
    assert draft.request.comparison["difference"]["market_rate"] == 15000
    assert flow.get(VIC, rid).request == approved
    assert len(flow.get(VIC, rid).history) == 3
    audit = flow.audit.events[-1]
    assert (audit.action, audit.target_id) == ("pricing_request_reprice", draft.request.id)


def test_delete_is_soft_and_hides_the_request(flow: Workflow) -> None:
    rid = flow.create(ANA, INPUTS, INFO).request.id
    deleted = flow.delete(ADA, rid, INFO)
    assert deleted.request.deleted_at is not None
    assert [e.action for e in deleted.history] == [Action.CREATE, Action.DELETE]
    with pytest.raises(NotFound):
        flow.get(VIC, rid)
    with pytest.raises(NotFound):
        flow.delete(ADA, rid, INFO)
    assert flow.list_requests(VIC, RequestQuery()) == ([], 0)
    assert flow.store.requests[rid].deleted_at == deleted.request.deleted_at


def test_recommendations_are_submitted_or_decided_only(flow: Workflow) -> None:
    flow.create(ANA, INPUTS, INFO)
    rid = _submitted(flow)
    found, total = flow.recommendations(VIC, RequestQuery())
    assert ([r.id for r in found], total) == ([rid], 1)
    with pytest.raises(InvalidRequest, match="status"):
        flow.recommendations(VIC, RequestQuery(statuses=["draft"]))
    _, everything = flow.list_requests(VIC, RequestQuery())
    assert everything == 2


def test_query_bounds_name_their_field() -> None:
    for kwargs, field in (
        ({"limit": 0}, "limit"),
        ({"limit": 201}, "limit"),
        ({"offset": -1}, "offset"),
        ({"statuses": ["lost"]}, "status"),
    ):
        with pytest.raises(InvalidRequest) as caught:
            RequestQuery(**kwargs)
        assert caught.value.field == field


def test_history_rows_carry_the_status_after_each_change(flow: Workflow) -> None:
    rid = _submitted(flow)
    flow.approve(MAX, rid, INFO, comment="ok")
    history = flow.get(VIC, rid).history
    assert [(e.action, e.detail.get("status")) for e in history] == [
        (Action.CREATE, "draft"),
        (Action.SUBMIT, "submitted"),
        (Action.APPROVE, "approved"),
    ]
    assert [e.at for e in history] == sorted(e.at for e in history)
    assert history[-1].detail["comment"] == "ok"
    assert Decimal(str(flow.get(VIC, rid).request.result["market_rate"])) == 150000
