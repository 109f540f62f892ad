"""The workflow's rules and error answers over HTTP: who may change what, in which status, and
what each refusal answers."""

from __future__ import annotations

from typing import Any

import pytest

from pricing_core.access.audit import RequestInfo
from pricing_core.access.model import Principal
from pricing_core.access.roles import Role
from tests.contract.conftest import NAME
from tests.e2e.workflow.conftest import BODY, SAN_JOSE, SWE, Api

BASE = "/api/v1/pricing-requests"


def _create(api: Api, who: Any, body: dict[str, Any] | None = None) -> dict[str, Any]:
    answer = api.call(who, "POST", BASE, json=body or BODY)
    assert answer.status_code == 201, answer.text
    created: dict[str, Any] = answer.json()
    return created


def _submitted(api: Api, who: Any) -> str:
    rid: str = _create(api, who)["id"]
    assert api.call(who, "POST", f"{BASE}/{rid}/submit").status_code == 200
    return rid


def test_only_its_creator_edits_or_submits_a_draft(api: Api) -> None:
    ana, bob = api.account(Role.HR_ANALYST), api.account(Role.HR_ANALYST)
    manager = api.account(Role.HR_MANAGER)
    rid = _create(api, ana)["id"]
    for who in (bob, manager):
        edit = api.call(who, "PUT", f"{BASE}/{rid}", json={**BODY, "percentile": 75})
        assert edit.status_code == 403
        assert "only the creator" in edit.json()["detail"]
        assert api.call(who, "POST", f"{BASE}/{rid}/submit").status_code == 403
    edited = api.call(ana, "PUT", f"{BASE}/{rid}", json={**BODY, "percentile": 75})
    assert edited.status_code == 200, edited.text
    body = edited.json()
    assert (body["status"], body["revision"], body["result"]["target_percentile"]) == (
        "draft",
        2,
        75,
    )
    assert body["history"][-1]["action"] == "edit"
    assert body["history"][-1]["detail"]["changed"] == ["percentile"]
    assert body["history"][-1]["detail"]["previous_market_rate"] == 213110.0


def test_nobody_edits_a_submitted_or_decided_request(api: Api) -> None:
    ana, manager = api.account(Role.HR_ANALYST), api.account(Role.HR_MANAGER)
    rid = _submitted(api, ana)
    for _ in range(2):
        refused = api.call(ana, "PUT", f"{BASE}/{rid}", json=BODY)
        assert refused.status_code == 409
        assert refused.json()["code"] == "conflict"
        assert api.call(ana, "POST", f"{BASE}/{rid}/submit").status_code == 409
        api.call(manager, "POST", f"{BASE}/{rid}/approve")
    assert api.call(manager, "POST", f"{BASE}/{rid}/approve").status_code == 409
    assert (
        api.call(manager, "POST", f"{BASE}/{rid}/reject", json={"comment": "no"}).status_code == 409
    )


def test_a_draft_cannot_be_decided(api: Api) -> None:
    ana, manager = api.account(Role.HR_ANALYST), api.account(Role.HR_MANAGER)
    rid = _create(api, ana)["id"]
    assert api.call(manager, "POST", f"{BASE}/{rid}/approve").status_code == 409
    assert (
        api.call(manager, "POST", f"{BASE}/{rid}/reject", json={"comment": "x"}).status_code == 409
    )


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        (
            {"adjusted_range": {"minimum": 1, "midpoint": 2, "maximum": 3}},
            422,
            "comment",
        ),
        (
            {
                "comment": "retention",
                "adjusted_range": {"minimum": 200000, "midpoint": 190000, "maximum": 250000},
            },
            422,
            "adjusted_range.minimum",
        ),
        (
            {"comment": "x", "adjusted_range": {"minimum": 1, "midpoint": 3, "maximum": 2}},
            422,
            "adjusted_range.maximum",
        ),
        (
            {"comment": "x", "adjusted_range": {"minimum": -1, "midpoint": 3, "maximum": 4}},
            422,
            "adjusted_range.minimum",
        ),
        ({"comment": "x", "adjusted_range": {"minimum": 1, "midpoint": 2}}, 400, None),
        ({"comment": "x", "decision": "approved"}, 400, None),
    ],
)
def test_bad_approvals_are_refused_and_change_nothing(
    api: Api, body: dict[str, Any], status: int, field: str | None
) -> None:
    ana, manager = api.account(Role.HR_ANALYST), api.account(Role.HR_MANAGER)
    rid = _submitted(api, ana)
    answer = api.call(manager, "POST", f"{BASE}/{rid}/approve", json=body)
    assert answer.status_code == status, answer.text
    if field is not None:
        assert answer.json()["errors"][0]["field"] == field
    after = api.call(ana, "GET", f"{BASE}/{rid}").json()
    assert (after["status"], after["revision"], len(after["history"])) == ("submitted", 2, 2)


def test_an_approver_may_set_their_own_range_with_a_reason(any_api: Api) -> None:
    api = any_api
    ana, manager = api.account(Role.HR_ANALYST), api.account(Role.HR_MANAGER)
    rid = _submitted(api, ana)
    adjusted = {"minimum": 180000, "midpoint": "215000.50", "maximum": 250000}
    answer = api.call(
        manager,
        "POST",
        f"{BASE}/{rid}/approve",
        json={"comment": "retention risk", "adjusted_range": adjusted},
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    expected = {"minimum": 180000, "midpoint": 215000.5, "maximum": 250000}
    assert body["approved_range"] == expected == body["decision"]["adjusted_range"]
    assert body["decision"]["comment"] == "retention risk"
    assert body["result"]["range"]["midpoint"] == 213100  # the priced result is kept as it was
    again = api.call(ana, "GET", f"{BASE}/{rid}").json()
    assert again["approved_range"] == expected
    assert again["history"][-1]["detail"]["adjusted_range"] == {
        "minimum": "180000",
        "midpoint": "215000.50",
        "maximum": "250000",
    }


def test_a_rejection_needs_a_comment(api: Api) -> None:
    ana, manager = api.account(Role.HR_ANALYST), api.account(Role.HR_MANAGER)
    rid = _submitted(api, ana)
    assert api.call(manager, "POST", f"{BASE}/{rid}/reject").status_code == 400
    blank = api.call(manager, "POST", f"{BASE}/{rid}/reject", json={"comment": "  "})
    assert blank.status_code == 422
    assert blank.json()["errors"][0]["field"] == "comment"
    # Issue 11: the four-eyes rule covers rejections: a manager may not reject their own.
    own = _submitted(api, manager)
    refused = api.call(manager, "POST", f"{BASE}/{own}/reject", json={"comment": "redo"})
    assert refused.status_code == 403, refused.text
    assert "four-eyes" in refused.json()["detail"]
    assert api.call(manager, "GET", f"{BASE}/{own}").json()["status"] == "submitted"


def test_an_api_key_cannot_decide(api: Api) -> None:
    ana, admin = api.account(Role.HR_ANALYST), api.account(Role.ADMIN)
    rid = _submitted(api, ana)
    _, raw = api.container.access.create_api_key(
        Principal(role=Role.ADMIN, user_id=admin.id), "hr system", "HR_MANAGER", RequestInfo()
    )
    answer = api.client.post(f"{BASE}/{rid}/approve", headers={"X-API-Key": raw})
    assert answer.status_code == 403
    assert "API key" in answer.json()["detail"]
    assert api.client.get(f"{BASE}/{rid}", headers={"X-API-Key": raw}).status_code == 200


def test_bad_bodies_name_the_field_and_save_nothing(api: Api) -> None:
    ana = api.account(Role.HR_ANALYST)
    cases = [
        ({**BODY, "title": "Software Developer"}, 422, "title"),
        ({"area": SAN_JOSE}, 422, "title"),
        ({**BODY, "area": "9999999"}, 422, None),
        ({**BODY, "percentile": 95}, 400, None),
        ({**BODY, "colour": "blue"}, 400, None),
        ({**BODY, "matches": [{"source": "nope", "job_code": SWE}]}, 422, None),
    ]
    for body, status, field in cases:
        answer = api.call(ana, "POST", BASE, json=body)
        assert answer.status_code == status, (body, answer.text)
        if field:
            assert answer.json()["errors"][0]["field"] == field
    assert api.call(ana, "GET", BASE).json()["total"] == 0


def test_a_title_is_matched_and_filed_under_the_chosen_occupation(titled_api: Api) -> None:
    api = titled_api
    ana = api.account(Role.HR_ANALYST)
    body = {"title": "Software Developer", "area": SAN_JOSE, "date": "2025-05-12"}
    created = _create(api, ana, body)
    assert created["job_code"] == SWE
    assert created["result"]["title_match"]["chosen"] == SWE
    assert created["inputs"]["title"] == "Software Developer"
    assert created["inputs"]["matches"] is None


def test_delete_is_soft_administrators_only_and_audited(any_api: Api) -> None:
    api = any_api
    ana, admin = api.account(Role.HR_ANALYST), api.account(Role.ADMIN)
    rid = _submitted(api, ana)
    assert api.call(ana, "DELETE", f"{BASE}/{rid}").status_code == 403
    deleted = api.call(admin, "DELETE", f"{BASE}/{rid}")
    assert deleted.status_code == 200, deleted.text
    assert deleted.json()["deleted_at"] is not None
    assert deleted.json()["history"][-1]["action"] == "delete"
    assert api.call(ana, "GET", f"{BASE}/{rid}").status_code == 404
    assert api.call(admin, "DELETE", f"{BASE}/{rid}").status_code == 404
    assert api.call(ana, "GET", BASE).json()["total"] == 0
    assert api.call(ana, "GET", "/api/v1/recommendations").json()["items"] == []
    rows = api.call(
        admin, "GET", "/api/v1/audit-logs", params={"action": "pricing_request_delete"}
    ).json()["items"]
    assert [(r["actor"], r["target_id"]) for r in rows] == [(admin.id, rid)]
    kept = api.container.requests.store.get(rid)
    assert kept is not None  # the row stays ...
    assert kept.deleted_at is not None  # ... marked deleted


def test_lists_filter_page_and_count(any_api: Api) -> None:
    api = any_api
    ana, bob = api.account(Role.HR_ANALYST), api.account(Role.HR_ANALYST)
    viewer = api.account(Role.VIEWER)
    first = _create(api, ana)["id"]
    second = _submitted(api, ana)
    national = {**BODY, "area": "0000000", "industry": "541500"}
    third = _create(api, bob, national)["id"]

    def ids(path: str = BASE, **params: Any) -> tuple[list[str], int]:
        answer = api.call(viewer, "GET", path, params=params)
        assert answer.status_code == 200, answer.text
        return [r["id"] for r in answer.json()["items"]], answer.json()["total"]

    assert ids() == ([third, second, first], 3)  # newest first
    assert ids(status="draft") == ([third, first], 2)
    assert ids(created_by=ana.id) == ([second, first], 2)
    assert ids(area="0000000") == ([third], 1)
    assert ids(job_code="151252") == ([third, second, first], 3)
    assert ids(job_code="29-1211") == ([], 0)
    assert ids(limit=1, offset=1) == ([second], 3)
    assert ids("/api/v1/recommendations") == ([second], 1)
    assert api.call(viewer, "GET", BASE, params={"limit": 201}).status_code == 400
    assert api.call(viewer, "GET", BASE, params={"status": "lost"}).status_code == 400
    draft = api.call(viewer, "GET", "/api/v1/recommendations", params={"status": "draft"})
    assert draft.status_code == 422
    assert api.call(viewer, "GET", f"{BASE}/no-such-id").status_code == 404
    assert NAME in api.call(viewer, "GET", f"{BASE}/{first}").json()["dataset_versions"]


def test_a_title_on_a_source_without_every_aliased_occupation_is_priced(api: Api) -> None:
    ana = api.account(Role.HR_ANALYST)
    body = {"title": "Software Developer", "area": SAN_JOSE, "date": "2025-05-12"}
    assert api.call(ana, "POST", BASE, json=body).status_code == 201


def test_refusals_name_the_pricing_request_apart_from_the_http_request(api: Api) -> None:
    """`request_id` is the HTTP request's id (X-Request-ID): the pricing request has its own key."""
    manager = api.account(Role.HR_MANAGER)
    own = _submitted(api, manager)
    four_eyes = api.call(manager, "POST", f"{BASE}/{own}/approve")
    assert four_eyes.status_code == 403
    assert four_eyes.json()["pricing_request_id"] == own
    assert "request_id" not in four_eyes.json()
    missing = api.call(manager, "GET", f"{BASE}/no-such-id")
    assert missing.status_code == 404
    assert missing.json()["pricing_request_id"] == "no-such-id"
    assert "request_id" not in missing.json()


def test_a_conflict_reads_right(api: Api) -> None:
    ana, manager = api.account(Role.HR_ANALYST), api.account(Role.HR_MANAGER)
    rid = _submitted(api, ana)
    assert api.call(manager, "POST", f"{BASE}/{rid}/approve").status_code == 200
    edit = api.call(ana, "PUT", f"{BASE}/{rid}", json=BODY)
    assert edit.status_code == 409
    assert edit.json()["detail"].startswith("cannot edit an approved request")
