"""The policy as JSON and the settings use cases: validated as a whole with the field named,
versioned, audited with before and after, and refused without MANAGE_SETTINGS."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from pricing_core.access.audit import Auditor, RequestInfo
from pricing_core.access.model import Outcome, Principal
from pricing_core.access.roles import Role
from pricing_core.errors import Forbidden, InvalidRequest
from pricing_core.pricing.policy import PricingPolicy
from pricing_core.pricing.policy_admin import ReadPolicy, UpdatePolicy
from pricing_core.pricing.policy_json import POLICY_FIELDS, policy_as_json, policy_from_json
from tests.gear.clock import FakeClock
from tests.unit.requests.conftest import (
    STEP,
    T0,
    CountingUnitOfWork,
    ListAuditLog,
    ListPolicyStore,
)

ADMIN = Principal(role=Role.ADMIN, user_id="ada")
INFO = RequestInfo(ip="192.0.2.1")


def test_the_json_form_keeps_every_setting_exactly() -> None:
    policy = PricingPolicy(
        version=4,
        aging_rate="0.0312345678901234567890123",
        source_weights={"mercer-2025": "1.50"},
        range_spreads={"expert": "0.8"},
        min_organizations=3,
    )
    shown = policy_as_json(policy)
    assert set(shown) == set(POLICY_FIELDS)
    assert "version" not in shown
    assert shown["aging_rate"] == "0.0312345678901234567890123"
    assert shown["source_weights"] == {"mercer-2025": "1.50"}
    assert shown["level_percentiles"] == {
        "expert": 90,
        "intermediate": 50,
        "junior": 25,
        "senior": 75,
    }
    assert policy_from_json(shown, version=4) == policy
    assert policy_from_json({}, version=1) == PricingPolicy()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"source_weights": {"mercer-2025": -1}}, "source_weights.mercer-2025"),
        ({"source_weights": {"mercer-2025": "heavy"}}, "source_weights.mercer-2025"),
        ({"source_weights": {"two words": 1}}, "source_weights"),
        ({"source_weights": [1, 2]}, "source_weights"),
        ({"range_spread": 5}, "range_spread"),
        ({"range_spread": "NaN"}, "range_spread"),
        ({"range_spread": True}, "range_spread"),
        ({"aging_rate": "Infinity"}, "aging_rate"),
        ({"quality_weights": {"exact": 1, "close": "0.75"}}, "quality_weights"),
        ({"quality_weights": {"exact": 1, "close": 0, "partial": 1}}, "quality_weights.close"),
        ({"level_percentiles": {"junior": 25}}, "level_percentiles"),
        (
            {
                "level_percentiles": {
                    **dict.fromkeys(["junior", "intermediate", "senior"], 50),
                    "expert": 95,
                }
            },
            "level_percentiles.expert",
        ),
        ({"level_percentiles": {"junior": "25"}}, "level_percentiles.junior"),
        ({"range_spreads": {"boss": "0.5"}}, "range_spreads.boss"),
        ({"min_organizations": -1}, "min_organizations"),
        ({"min_organizations": 2.5}, "min_organizations"),
        ({"max_age_months": 0}, "max_age_months"),
        ({"max_age_months": 1201}, "max_age_months"),
        ({"rounding_increment": 0}, "rounding_increment"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_a_bad_setting_is_refused_naming_its_field(change: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidRequest) as caught:
        policy_from_json(change, version=1)
    assert caught.value.field == field
    assert caught.value.message.startswith(f"{field}: ")


def _update() -> tuple[UpdatePolicy, ListPolicyStore, ListAuditLog]:
    store, log = ListPolicyStore(), ListAuditLog()
    clock = FakeClock(T0, step=STEP)
    return (
        UpdatePolicy(
            policies=store,
            auditor=Auditor(log=log, clock=clock),
            clock=clock,
            uow=CountingUnitOfWork(),
        ),
        store,
        log,
    )


def test_a_change_is_saved_as_the_next_version_and_audited_with_before_and_after() -> None:
    update, store, log = _update()
    record = update(ADMIN, {"range_spread": Decimal("0.4"), "positioning": "0"}, INFO)
    assert record.policy.version == 2
    assert record.policy.range_spread == Decimal("0.4")
    assert record.saved_by == "ada"
    assert record.saved_at is not None
    assert store.current() == record.policy
    [row] = log.events
    assert (row.action, row.outcome, row.target_type, row.target_id) == (
        "policy_update",
        Outcome.SUCCESS,
        "pricing_policy",
        "2",
    )
    # positioning was given but did not change: only range_spread is listed.
    assert row.detail["changes"] == {"range_spread": {"before": "0.50", "after": "0.4"}}


def test_a_map_given_replaces_the_whole_map() -> None:
    update, store, _ = _update()
    update(ADMIN, {"source_weights": {"a": 2, "b": 3}}, INFO)
    update(ADMIN, {"source_weights": {"b": 4}}, INFO)
    assert dict(store.current().source_weights) == {"b": Decimal(4)}
    assert store.current().version == 3


def test_a_refused_change_saves_nothing_and_is_audited_as_a_failure() -> None:
    update, store, log = _update()
    with pytest.raises(InvalidRequest) as caught:
        update(ADMIN, {"positioning": "0.1", "source_weights": {"mercer-2025": -1}}, INFO)
    assert caught.value.field == "source_weights.mercer-2025"
    assert store.records == []
    assert [(e.outcome, e.detail["field"]) for e in log.events] == [
        (Outcome.FAILURE, "source_weights.mercer-2025")
    ]


def test_no_change_stores_no_version() -> None:
    update, store, log = _update()
    assert update(ADMIN, {"range_spread": "0.5000"}, INFO).policy.version == 1
    assert (store.records, log.events) == ([], [])


@pytest.mark.parametrize("role", [Role.VIEWER, Role.HR_ANALYST, Role.HR_MANAGER])
def test_only_manage_settings_changes_it_but_every_role_reads_it(role: Role) -> None:
    update, store, _ = _update()
    with pytest.raises(Forbidden, match="MANAGE_SETTINGS"):
        update(Principal(role=role, user_id="u"), {"range_spread": "0.4"}, INFO)
    assert store.records == []
    update(ADMIN, {"range_spread": "0.4"}, INFO)
    record = ReadPolicy(policies=store)(Principal(role=role, user_id="u"))
    assert (record.policy.version, record.saved_by) == (2, "ada")


def test_the_defaults_are_read_as_version_one_saved_by_nobody() -> None:
    record = ReadPolicy(policies=ListPolicyStore())(Principal(role=Role.VIEWER, user_id="v"))
    assert (record.policy, record.saved_at, record.saved_by) == (PricingPolicy(), None, None)


def test_a_policy_with_a_huge_max_age_is_refused_naming_the_field() -> None:
    # A date 10**6 months back does not exist: pricing with it would fail, so it never gets in.
    with pytest.raises(ValueError, match="max_age_months"):
        PricingPolicy(max_age_months=10**6)
