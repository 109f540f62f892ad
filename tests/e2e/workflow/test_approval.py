"""The issue's "done when", over HTTP on every backend: an analyst creates and submits a
request, a manager approves it (neither the analyst nor a manager approves their own), a viewer
sees it, and the audit log shows all of it."""

from __future__ import annotations

from typing import Any

import msgspec

from pricing_api.http.request_views import RequestOut, RequestPage
from pricing_core.access.roles import Role
from tests.e2e.workflow.conftest import BODY, SAN_JOSE, SWE, Api

BASE = "/api/v1/pricing-requests"


def _audit(api: Api, admin: Any, **filters: str) -> list[dict[str, Any]]:
    answer = api.call(admin, "GET", "/api/v1/audit-logs", params={"limit": 200, **filters})
    assert answer.status_code == 200, answer.text
    items: list[dict[str, Any]] = answer.json()["items"]
    return items


def test_analyst_creates_and_submits_a_manager_approves_a_viewer_sees_the_log_shows_it(
    any_api: Api,
) -> None:
    api = any_api
    analyst, manager, other_manager = (
        api.account(Role.HR_ANALYST, "ana"),
        api.account(Role.HR_MANAGER, "max"),
        api.account(Role.HR_MANAGER, "mia"),
    )
    viewer, admin = api.account(Role.VIEWER, "vic"), api.account(Role.ADMIN, "ada")

    created = api.call(analyst, "POST", BASE, json=BODY)
    assert created.status_code == 201, created.text
    request = created.json()
    msgspec.convert(request, RequestOut)  # the documented shape is the real one
    rid = request["id"]
    assert (request["status"], request["created_by"], request["job_code"]) == (
        "draft",
        analyst.id,
        SWE,
    )
    assert request["area_code"] == SAN_JOSE
    assert (
        request["dataset_versions"] == {"acme-2025": "v1"} == request["result"]["dataset_versions"]
    )
    assert request["policy_version"] == 1 == request["result"]["policy_version"]
    assert request["result"]["market_rate"] == 213110.0
    assert [e["action"] for e in request["history"]] == ["create"]

    submitted = api.call(analyst, "POST", f"{BASE}/{rid}/submit")
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["status"] == "submitted"

    # The analyst lacks the permission; the guard refuses before the use case runs.
    assert api.call(analyst, "POST", f"{BASE}/{rid}/approve").status_code == 403

    # A manager's own request: submitted, but they cannot approve it (four-eyes).
    own = api.call(manager, "POST", BASE, json=BODY).json()["id"]
    assert api.call(manager, "POST", f"{BASE}/{own}/submit").status_code == 200
    refused = api.call(manager, "POST", f"{BASE}/{own}/approve", json={"comment": "fine"})
    assert refused.status_code == 403
    assert "four-eyes" in refused.json()["detail"]
    assert api.call(viewer, "GET", f"{BASE}/{own}").json()["status"] == "submitted"
    # ... another manager can.
    assert api.call(other_manager, "POST", f"{BASE}/{own}/approve").status_code == 200

    approved = api.call(manager, "POST", f"{BASE}/{rid}/approve", json={"comment": "market"})
    assert approved.status_code == 200, approved.text
    body = approved.json()
    assert body["status"] == "approved"
    assert body["decision"]["by"] == manager.id
    assert body["decision"]["comment"] == "market"
    assert body["approved_range"] == {
        k: body["result"]["range"][k] for k in ("minimum", "midpoint", "maximum")
    }

    seen = api.call(viewer, "GET", f"{BASE}/{rid}")
    assert seen.status_code == 200
    history = seen.json()["history"]
    assert [(e["action"], e["actor"]) for e in history] == [
        ("create", analyst.id),
        ("submit", analyst.id),
        ("approve", manager.id),
    ]
    assert [e["detail"]["status"] for e in history] == ["draft", "submitted", "approved"]
    assert api.call(viewer, "POST", BASE, json=BODY).status_code == 403

    recommendations = api.call(viewer, "GET", "/api/v1/recommendations")
    assert recommendations.status_code == 200
    page = recommendations.json()
    msgspec.convert(page, RequestPage)
    assert {(r["id"], r["status"]) for r in page["items"]} == {
        (rid, "approved"),
        (own, "approved"),
    }
    assert page["total"] == 2

    rows = _audit(api, admin, target_type="pricing_request")
    mine = [(r["action"], r["actor"], r["outcome"]) for r in rows if r["target_id"] == rid]
    assert sorted(mine) == sorted(
        [
            ("pricing_request_create", analyst.id, "success"),
            ("pricing_request_submit", analyst.id, "success"),
            ("pricing_request_approve", manager.id, "success"),
        ]
    )
    denied = [(r["action"], r["actor"]) for r in rows if r["outcome"] == "denied"]
    assert denied == [("pricing_request_approve", manager.id)]
    guard = _audit(api, admin, action="authz_fail", actor=analyst.id)
    assert [r["target_id"] for r in guard] == [f"{BASE}/{{request_id}}/approve"]
