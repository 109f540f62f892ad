"""Re-pricing never changes a decided result: new market data reaches a NEW draft that shows
the difference, over HTTP on every backend."""

from __future__ import annotations

from typing import Any

from pricing_core.access.roles import Role
from pricing_core.requests.model import RequestStatus
from tests.contract.conftest import NAME
from tests.e2e.workflow.conftest import BODY, Api

BASE = "/api/v1/pricing-requests"


def _decided(api: Api, analyst: Any, manager: Any, decision: str = "approve") -> dict[str, Any]:
    rid = api.call(analyst, "POST", BASE, json=BODY).json()["id"]
    assert api.call(analyst, "POST", f"{BASE}/{rid}/submit").status_code == 200
    comment = {"comment": "too high for this team"}
    answer = api.call(manager, "POST", f"{BASE}/{rid}/{decision}", json=comment)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def test_an_approved_result_stays_when_a_new_market_version_is_activated(any_api: Api) -> None:
    api = any_api
    analyst, manager = api.account(Role.HR_ANALYST), api.account(Role.HR_MANAGER)
    approved = _decided(api, analyst, manager)
    api.load_market("v2", swe_p50="250000")  # loaded and active
    assert api.container.market.source(NAME).active_version == "v2"  # type: ignore[union-attr]
    quote = api.call(analyst, "POST", "/api/v1/pricing/quote", json=BODY).json()
    assert quote["market_rate"] == 250000.0  # new data is in force ...
    again = api.call(analyst, "GET", f"{BASE}/{approved['id']}").json()
    assert again["result"] == approved["result"]  # ... but not for the approved request
    assert again["dataset_versions"] == {NAME: "v1"}
    assert again["result"]["market_rate"] == 213110.0
    assert again["revision"] == approved["revision"]


def test_reprice_makes_a_new_draft_showing_old_and_new(any_api: Api) -> None:
    api = any_api
    analyst, manager = api.account(Role.HR_ANALYST), api.account(Role.HR_MANAGER)
    approved = _decided(api, analyst, manager)
    api.load_market("v2", swe_p50="250000")
    answer = api.call(analyst, "POST", f"{BASE}/{approved['id']}/reprice")
    assert answer.status_code == 201, answer.text
    draft = answer.json()
    assert draft["id"] != approved["id"]
    assert (draft["status"], draft["repriced_from"]) == ("draft", approved["id"])
    assert draft["dataset_versions"] == {NAME: "v2"}
    assert draft["inputs"] == approved["inputs"]
    comparison = draft["comparison"]
    assert comparison["previous"]["market_rate"] == 213110.0
    assert comparison["current"]["market_rate"] == 250000.0
    assert comparison["difference"]["market_rate"] == 36890
    assert comparison["difference"]["market_rate_percent"] == 17.31
    old, new = approved["result"]["range"], draft["result"]["range"]
    assert comparison["difference"]["range"] == {
        k: new[k] - old[k] for k in ("minimum", "midpoint", "maximum")
    }
    assert comparison["previous"]["dataset_versions"] == {NAME: "v1"}
    assert [e["action"] for e in draft["history"]] == ["create"]
    assert draft["history"][0]["detail"]["repriced_from"] == approved["id"]
    # The approved one is as it was; its history did not grow.
    kept = api.call(analyst, "GET", f"{BASE}/{approved['id']}").json()
    assert kept == approved | {"history": kept["history"]}
    assert len(kept["history"]) == 3


def test_a_rejected_request_is_repriced_too_but_drafts_and_submitted_ones_are_not(
    api: Api,
) -> None:
    analyst, manager = api.account(Role.HR_ANALYST), api.account(Role.HR_MANAGER)
    rejected = _decided(api, analyst, manager, "reject")
    assert rejected["status"] == RequestStatus.REJECTED
    assert rejected["decision"]["comment"] == "too high for this team"
    assert api.call(analyst, "POST", f"{BASE}/{rejected['id']}/reprice").status_code == 201
    draft = api.call(analyst, "POST", BASE, json=BODY).json()["id"]
    refused = api.call(analyst, "POST", f"{BASE}/{draft}/reprice")
    assert refused.status_code == 409
    assert refused.json()["allowed"] == ["delete", "edit", "submit"]
    api.call(analyst, "POST", f"{BASE}/{draft}/submit")
    assert api.call(analyst, "POST", f"{BASE}/{draft}/reprice").status_code == 409
    viewer = api.account(Role.VIEWER)
    assert api.call(viewer, "POST", f"{BASE}/{rejected['id']}/reprice").status_code == 403


def test_editing_a_repriced_draft_compares_it_with_the_original_again(api: Api) -> None:
    analyst, manager = api.account(Role.HR_ANALYST), api.account(Role.HR_MANAGER)
    approved = _decided(api, analyst, manager)
    draft = api.call(analyst, "POST", f"{BASE}/{approved['id']}/reprice").json()
    assert draft["comparison"]["difference"]["market_rate"] == 0
    edited = api.call(analyst, "PUT", f"{BASE}/{draft['id']}", json={**BODY, "percentile": 75})
    assert edited.status_code == 200, edited.text
    comparison = edited.json()["comparison"]
    assert comparison["previous"]["market_rate"] == approved["result"]["market_rate"]
    assert comparison["current"]["market_rate"] == 226080.25
    assert comparison["difference"]["market_rate"] == 12970.25
