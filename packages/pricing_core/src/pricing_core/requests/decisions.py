"""The recommendation workflow: submit a draft, then approve or reject it (four-eyes).

The four-eyes rule: whoever created a request neither approves nor rejects it.

Decisions are made by people: an API key cannot approve or reject, because its principal does
not say which person created it, and the four-eyes rule needs to know.
"""

from __future__ import annotations

import attrs

from pricing_core.access.audit import RequestInfo, require
from pricing_core.access.model import Principal
from pricing_core.access.roles import Permission
from pricing_core.requests.ledger import Ledger
from pricing_core.requests.model import (
    Action,
    AdjustedRange,
    Decision,
    RequestDetail,
    SavedRequest,
)
from pricing_core.requests.rules import check_comment, next_status
from pricing_core.requests.service import check_owner

__all__ = ["ApproveRequest", "RejectRequest", "SubmitRequest"]

FOUR_EYES = "four-eyes rule: you created this request, so someone else must {action} it"


def _range_json(adjusted: AdjustedRange | None) -> dict[str, str] | None:
    if adjusted is None:
        return None
    return {
        "minimum": str(adjusted.minimum),
        "midpoint": str(adjusted.midpoint),
        "maximum": str(adjusted.maximum),
    }


@attrs.frozen(kw_only=True)
class SubmitRequest:
    """draft → submitted: a salary recommendation (UPDATE_JOB_PRICING, its creator only)."""

    ledger: Ledger

    def __call__(self, actor: Principal, request_id: str, info: RequestInfo) -> RequestDetail:
        require(actor, Permission.UPDATE_JOB_PRICING)
        before = self.ledger.load(request_id)
        status = next_status(before.status, Action.SUBMIT)
        check_owner(self.ledger, before, actor, Action.SUBMIT, info)
        after = attrs.evolve(before, status=status)
        return self.ledger.change(before, after, actor, Action.SUBMIT, {}, info)


@attrs.frozen(kw_only=True)
class _Decide:
    ledger: Ledger

    def _decide(
        self,
        actor: Principal,
        request_id: str,
        action: Action,
        decision: Decision,
        info: RequestInfo,
    ) -> RequestDetail:
        before = self.ledger.load(request_id)
        status = next_status(before.status, action)
        self._check_people(before, actor, action, info)
        after = attrs.evolve(before, status=status, decision=decision)
        detail = {
            "comment": decision.comment,
            "adjusted_range": _range_json(decision.adjusted_range),
        }
        return self.ledger.change(before, after, actor, action, detail, info)

    def _check_people(
        self, request: SavedRequest, actor: Principal, action: Action, info: RequestInfo
    ) -> None:
        if actor.user_id is None:
            message = f"a person must {action} a recommendation: sign in, not with an API key"
            raise self.ledger.refuse(request, actor, action, message, info)
        if request.created_by == actor.actor:
            message = FOUR_EYES.format(action=action)
            raise self.ledger.refuse(request, actor, action, message, info)


@attrs.frozen(kw_only=True)
class ApproveRequest(_Decide):
    """submitted → approved (APPROVE_SALARY_RECOMMENDATIONS), never by its creator.

    An approver may set their own range instead of the priced one, with a comment saying why
    (required then); the priced result is kept unchanged beside it.
    """

    def __call__(
        self,
        actor: Principal,
        request_id: str,
        info: RequestInfo,
        *,
        comment: str | None = None,
        adjusted_range: AdjustedRange | None = None,
    ) -> RequestDetail:
        require(actor, Permission.APPROVE_SALARY_RECOMMENDATIONS)
        why = " when adjusting the range: say why" if adjusted_range else ""
        text = check_comment(comment, required=adjusted_range is not None, why=why)
        decision = Decision(
            by=actor.actor, at=self.ledger.clock.now(), comment=text, adjusted_range=adjusted_range
        )
        return self._decide(actor, request_id, Action.APPROVE, decision, info)


@attrs.frozen(kw_only=True)
class RejectRequest(_Decide):
    """submitted → rejected (APPROVE_SALARY_RECOMMENDATIONS), with a comment saying why.

    Never by its creator: the four-eyes rule covers every decision, a rejection as much as
    an approval (a creator who wants it gone deletes their draft before submitting it).
    """

    def __call__(
        self, actor: Principal, request_id: str, comment: str, info: RequestInfo
    ) -> RequestDetail:
        require(actor, Permission.APPROVE_SALARY_RECOMMENDATIONS)
        text = check_comment(comment, required=True, why=": say why it is rejected")
        decision = Decision(by=actor.actor, at=self.ledger.clock.now(), comment=text)
        return self._decide(actor, request_id, Action.REJECT, decision, info)
