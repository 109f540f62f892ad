"""GET and PUT /api/v1/settings/pricing-policy over HTTP: validated, versioned, audited, and in
force for the next quote and saved request."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from pricing_api.http.policy_settings import PolicyOut
from pricing_core.access.roles import Role
from tests.e2e.workflow.conftest import BODY, Api

POLICY = "/api/v1/settings/pricing-policy"


def _policy(api: Api, who: Any) -> dict[str, Any]:
    answer = api.call(who, "GET", POLICY)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def test_anyone_who_prices_reads_the_policy_in_force(api: Api) -> None:
    viewer = api.account(Role.VIEWER)
    policy = _policy(api, viewer)
    msgspec.convert(policy, PolicyOut)
    assert (policy["version"], policy["saved_at"], policy["saved_by"]) == (1, None, None)
    assert policy["range_spread"] == "0.50"
    assert policy["quality_weights"] == {"close": "0.75", "exact": "1", "partial": "0.5"}
    assert policy["level_percentiles"]["senior"] == 75


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"source_weights": {"mercer-2025": -1}}, "source_weights.mercer-2025"),
        ({"range_spread": 5}, "range_spread"),
        ({"range_spreads": {"senior": "2.5"}}, "range_spreads.senior"),
        ({"level_percentiles": {"junior": 25}}, "level_percentiles"),
        ({"min_organizations": -1}, "min_organizations"),
        ({"max_age_months": 10**7}, "max_age_months"),
        ({"aging_rate": "Infinity"}, "aging_rate"),
        ({"quality_weights": {"exact": 1, "close": 0, "partial": "0.5"}}, "quality_weights.close"),
    ],
)
def test_a_bad_value_answers_422_naming_the_field_and_changes_nothing(
    any_api: Api, change: dict[str, Any], field: str
) -> None:
    api = any_api
    admin = api.account(Role.ADMIN)
    before = _policy(api, admin)
    answer = api.call(admin, "PUT", POLICY, json={"positioning": "0.1", **change})
    assert answer.status_code == 422, answer.text
    problem = answer.json()
    assert problem["errors"][0]["field"] == field
    assert field in problem["detail"]
    assert _policy(api, admin) == before  # not even the valid positioning was applied
    failed = api.call(admin, "GET", "/api/v1/audit-logs", params={"action": "policy_update"})
    assert [(r["outcome"], r["detail"]["field"]) for r in failed.json()["items"]] == [
        ("failure", field)
    ]


def test_unknown_settings_are_refused_and_only_administrators_change_it(api: Api) -> None:
    admin, manager = api.account(Role.ADMIN), api.account(Role.HR_MANAGER)
    unknown = api.call(admin, "PUT", POLICY, json={"range_spred": "0.4"})
    assert unknown.status_code == 400
    assert "range_spred" in unknown.text
    assert api.call(admin, "PUT", POLICY, json={"version": 7}).status_code == 400
    assert api.call(manager, "PUT", POLICY, json={"range_spread": "0.4"}).status_code == 403
    assert _policy(api, admin)["version"] == 1


def test_a_change_is_a_new_version_audited_with_before_and_after(any_api: Api) -> None:
    api = any_api
    admin = api.account(Role.ADMIN)
    answer = api.call(
        admin,
        "PUT",
        POLICY,
        json={"range_spread": 0.4, "source_weights": {"mercer-2025": "1.25"}},
    )
    assert answer.status_code == 200, answer.text
    policy = answer.json()
    assert (policy["version"], policy["saved_by"]) == (2, admin.id)
    assert policy["range_spread"] == "0.4"
    assert policy["source_weights"] == {"mercer-2025": "1.25"}
    assert _policy(api, admin) == policy
    # Nothing changes: no new version, no audit row.
    same = api.call(admin, "PUT", POLICY, json={"range_spread": "0.40"})
    assert same.json()["version"] == 2
    rows = api.call(admin, "GET", "/api/v1/audit-logs", params={"action": "policy_update"})
    [row] = rows.json()["items"]
    assert (row["outcome"], row["target_type"], row["target_id"]) == (
        "success",
        "pricing_policy",
        "2",
    )
    assert row["detail"]["changes"] == {
        "range_spread": {"before": "0.50", "after": "0.4"},
        "source_weights": {"before": {}, "after": {"mercer-2025": "1.25"}},
    }
    assert (row["detail"]["version"], row["detail"]["previous_version"]) == (2, 1)


def test_exact_decimals_survive_the_round_trip(any_api: Api) -> None:
    api = any_api
    admin = api.account(Role.ADMIN)
    exact = "0.0312345678901234567890123"
    answer = api.call(
        admin,
        "PUT",
        POLICY,
        content=f'{{"aging_rate": {exact}}}'.encode(),
        headers={"Content-Type": "application/json"},
    )
    assert answer.status_code == 200, answer.text
    assert _policy(api, admin)["aging_rate"] == exact


def test_quotes_and_saved_requests_after_a_change_record_the_new_version(any_api: Api) -> None:
    api = any_api
    admin, analyst = api.account(Role.ADMIN), api.account(Role.HR_ANALYST)
    first = api.call(analyst, "POST", "/api/v1/pricing-requests", json=BODY).json()
    assert first["policy_version"] == 1
    spread = api.call(admin, "PUT", POLICY, json={"range_spread": "0.2"})
    assert spread.json()["version"] == 2
    quote = api.call(analyst, "POST", "/api/v1/pricing/quote", json=BODY)
    assert quote.status_code == 200, quote.text
    assert quote.json()["policy_version"] == 2
    assert quote.json()["range"]["spread"] == 0.2
    saved = api.call(analyst, "POST", "/api/v1/pricing-requests", json=BODY).json()
    assert saved["policy_version"] == 2 == saved["result"]["policy_version"]
    assert saved["result"] == quote.json()  # a saved request prices exactly what a quote does
    # The first request keeps the result it was priced with until it is edited.
    kept = api.call(analyst, "GET", f"/api/v1/pricing-requests/{first['id']}").json()
    assert (kept["policy_version"], kept["result"]["range"]["spread"]) == (1, 0.5)
    edited = api.call(analyst, "PUT", f"/api/v1/pricing-requests/{first['id']}", json=BODY)
    assert edited.json()["policy_version"] == 2
