"""The workflow's state machine, checked for every (status, action) pair, and its helpers."""

from __future__ import annotations

import itertools

import pytest

from pricing_core.errors import Conflict, InvalidRequest
from pricing_core.requests.model import Action, AdjustedRange, RequestStatus
from pricing_core.requests.rules import check_comment, compare, next_status

D, S, A, R = (
    RequestStatus.DRAFT,
    RequestStatus.SUBMITTED,
    RequestStatus.APPROVED,
    RequestStatus.REJECTED,
)
# The whole table, written out: any change to the rules must change this too.
EXPECTED = {
    (D, Action.EDIT): D,
    (D, Action.SUBMIT): S,
    (D, Action.DELETE): D,
    (S, Action.APPROVE): A,
    (S, Action.REJECT): R,
    (S, Action.DELETE): S,
    (A, Action.REPRICE): A,
    (A, Action.DELETE): A,
    (R, Action.REPRICE): R,
    (R, Action.DELETE): R,
}
PAIRS = list(itertools.product(RequestStatus, [a for a in Action if a is not Action.CREATE]))


@pytest.mark.parametrize(("status", "action"), [p for p in PAIRS if p in EXPECTED])
def test_allowed_transitions_lead_where_the_table_says(
    status: RequestStatus, action: Action
) -> None:
    assert next_status(status, action) == EXPECTED[(status, action)]


@pytest.mark.parametrize(("status", "action"), [p for p in PAIRS if p not in EXPECTED])
def test_every_other_transition_is_a_conflict_saying_what_is_allowed(
    status: RequestStatus, action: Action
) -> None:
    with pytest.raises(Conflict) as caught:
        next_status(status, action)
    allowed = sorted(str(a) for (s, a) in EXPECTED if s == status)
    assert caught.value.details["allowed"] == allowed
    assert caught.value.details["request_status"] == status
    article = "an" if str(status)[0] in "aeiou" else "a"
    assert f"cannot {action} {article} {status} request" in caught.value.message


def test_an_approved_request_reads_right() -> None:
    with pytest.raises(Conflict) as caught:
        next_status(RequestStatus.APPROVED, Action.EDIT)
    assert caught.value.message.startswith("cannot edit an approved request")


def test_creating_is_not_a_transition() -> None:
    for status in RequestStatus:
        with pytest.raises(Conflict):
            next_status(status, Action.CREATE)


def _allowed(status: RequestStatus) -> set[Action]:
    found = set()
    for action in Action:
        try:
            next_status(status, action)
        except Conflict:
            continue
        found.add(action)
    return found


def test_only_a_draft_changes_its_inputs_and_decided_requests_only_reprice_or_delete() -> None:
    assert {s for s in RequestStatus if Action.EDIT in _allowed(s)} == {D}
    for decided in (A, R):
        assert _allowed(decided) == {Action.REPRICE, Action.DELETE}


@pytest.mark.parametrize(
    ("values", "field"),
    [
        (("3", "2", "4"), "adjusted_range.minimum"),
        (("1", "5", "4"), "adjusted_range.maximum"),
        (("-1", "2", "4"), "adjusted_range.minimum"),
        (("1", "2.001", "4"), "adjusted_range.midpoint"),
        (("1", "2", "NaN"), "adjusted_range.maximum"),
        (("1", "2", "Infinity"), "adjusted_range.maximum"),
        (("1", "2", "1e13"), "adjusted_range.maximum"),
        (("x", "2", "3"), "adjusted_range.minimum"),
    ],
)
def test_an_adjusted_range_is_ordered_finite_and_in_cents(
    values: tuple[str, str, str], field: str
) -> None:
    minimum, midpoint, maximum = values
    with pytest.raises(InvalidRequest) as caught:
        AdjustedRange(minimum=minimum, midpoint=midpoint, maximum=maximum)
    assert caught.value.field == field


@pytest.mark.parametrize("values", [("0", "0", "0"), ("1", "1", "1"), ("1.5", "2", "2.25")])
def test_equal_bounds_and_cents_are_allowed(values: tuple[str, str, str]) -> None:
    minimum, midpoint, maximum = values
    adjusted = AdjustedRange(minimum=minimum, midpoint=midpoint, maximum=maximum)
    assert adjusted.minimum <= adjusted.midpoint <= adjusted.maximum


def test_comments_are_trimmed_bounded_and_required_when_asked() -> None:
    assert check_comment("  ok\nsecond line ", required=True) == "ok\nsecond line"
    assert check_comment(None, required=False) == ""
    for bad in (None, "", "   "):
        with pytest.raises(InvalidRequest, match="comment: is required"):
            check_comment(bad, required=True)
    with pytest.raises(InvalidRequest, match="at most 2000"):
        check_comment("x" * 2001, required=False)
    with pytest.raises(InvalidRequest, match="control"):
        check_comment("bell\x07", required=False)


def test_compare_shows_old_new_and_the_difference() -> None:
    old = {
        "market_rate": 100000.5,
        "range": {"minimum": 80000, "midpoint": 100000, "maximum": 120000, "spread": 0.5},
        "dataset_versions": {"s": "v1"},
        "policy_version": 1,
        "pricing_date": "2025-01-01",
    }
    new = {
        **old,
        "market_rate": 110000.75,
        "range": {"minimum": 88000, "midpoint": 110000, "maximum": 132000, "spread": 0.5},
        "dataset_versions": {"s": "v2"},
    }
    shown = compare(old, new)
    assert shown["previous"]["market_rate"] == 100000.5
    assert shown["current"]["dataset_versions"] == {"s": "v2"}
    assert shown["difference"] == {
        "market_rate": 10000.25,
        "market_rate_percent": 10.0,
        "range": {"minimum": 8000, "midpoint": 10000, "maximum": 12000},
    }
    assert compare(old, old)["difference"]["market_rate"] == 0
