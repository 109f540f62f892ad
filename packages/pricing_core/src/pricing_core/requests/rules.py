"""The workflow's rules: which action each status allows, and old-versus-new comparisons."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from pricing_core.errors import Conflict, InvalidRequest
from pricing_core.requests.model import Action, RequestStatus

__all__ = ["MAX_COMMENT", "TRANSITIONS", "check_comment", "compare", "next_status"]

MAX_COMMENT = 2000
_D, _S, _A, _R = (
    RequestStatus.DRAFT,
    RequestStatus.SUBMITTED,
    RequestStatus.APPROVED,
    RequestStatus.REJECTED,
)

# (status, action) → the status after it. Anything missing is refused. Deleting is allowed in
# every status (it is soft: the row and its history stay); re-pricing leaves a decided request
# as it is and makes a new draft.
TRANSITIONS: Mapping[tuple[RequestStatus, Action], RequestStatus] = MappingProxyType(
    {
        (_D, Action.EDIT): _D,
        (_D, Action.SUBMIT): _S,
        (_S, Action.APPROVE): _A,
        (_S, Action.REJECT): _R,
        (_A, Action.REPRICE): _A,
        (_R, Action.REPRICE): _R,
        **{(status, Action.DELETE): status for status in RequestStatus},
    }
)

_WHY = {
    Action.EDIT: "only a draft can be edited; re-price a decided request into a new draft",
    Action.SUBMIT: "only a draft can be submitted",
    Action.APPROVE: "only a submitted request can be approved",
    Action.REJECT: "only a submitted request can be rejected",
    Action.REPRICE: "only an approved or rejected request is re-priced into a new draft; "
    "edit a draft itself, and wait for a submitted one's decision",
}


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def next_status(status: RequestStatus, action: Action) -> RequestStatus:
    """The status `action` leads to from `status`, or Conflict saying what is allowed."""
    found = TRANSITIONS.get((status, action))
    if found is None:
        allowed = sorted(str(a) for s, a in TRANSITIONS if s == status)
        raise Conflict(
            f"cannot {action} {_article(status)} {status} request: "
            f"{_WHY.get(action, 'not allowed')}",
            # Not `status`: problem details use that key for the HTTP status.
            request_status=str(status),
            action=str(action),
            allowed=allowed,
        )
    return found


def check_comment(comment: str | None, *, required: bool, why: str = "") -> str:
    """A decision's comment: trimmed, at most MAX_COMMENT characters, line breaks allowed."""
    text = (comment or "").strip()
    if required and not text:
        raise InvalidRequest("comment", f"is required{why}")
    if len(text) > MAX_COMMENT:
        raise InvalidRequest("comment", f"must be at most {MAX_COMMENT} characters")
    if any(unicodedata.category(ch) in {"Cc", "Cf"} and ch not in "\n\t" for ch in text):
        raise InvalidRequest("comment", "must not contain control characters")
    return text


def _number(value: Any) -> Decimal:
    # JSON numbers of the result: money to the cent, read back exactly by their shortest repr.
    return Decimal(str(value))


def _shown(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _facts(result: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "pricing_date": result.get("pricing_date"),
        "market_rate": result["market_rate"],
        "range": {k: result["range"][k] for k in ("minimum", "midpoint", "maximum")},
        "dataset_versions": dict(result.get("dataset_versions", {})),
        "policy_version": result.get("policy_version"),
    }


def compare(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """Old and new market rate and range, and how much each moved (new − old)."""
    before, after = _number(old["market_rate"]), _number(new["market_rate"])
    percent = None if before == 0 else _shown(round((after / before - 1) * 100, 2))
    return {
        "previous": _facts(old),
        "current": _facts(new),
        "difference": {
            "market_rate": _shown(after - before),
            "market_rate_percent": percent,
            "range": {
                k: _shown(_number(new["range"][k]) - _number(old["range"][k]))
                for k in ("minimum", "midpoint", "maximum")
            },
        },
    }
