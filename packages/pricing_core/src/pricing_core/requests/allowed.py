"""What a caller may do with a request now, so that a page offers only the actions that work.

The same rules the use cases enforce (status transitions, the creator's own draft, the
four-eyes rule, decisions by people): a page asks here instead of deciding in a template.
"""

from __future__ import annotations

from pricing_core.access.model import Principal
from pricing_core.access.roles import Permission
from pricing_core.requests.model import Action, SavedRequest
from pricing_core.requests.rules import TRANSITIONS

__all__ = ["allowed_actions"]

_NEEDS = {
    Action.EDIT: Permission.UPDATE_JOB_PRICING,
    Action.SUBMIT: Permission.UPDATE_JOB_PRICING,
    Action.APPROVE: Permission.APPROVE_SALARY_RECOMMENDATIONS,
    Action.REJECT: Permission.APPROVE_SALARY_RECOMMENDATIONS,
    Action.DELETE: Permission.DELETE_JOB_PRICING,
    Action.REPRICE: Permission.CREATE_JOB_PRICING,
}
_CREATOR_ONLY = frozenset({Action.EDIT, Action.SUBMIT})
_PEOPLE_ONLY = frozenset({Action.APPROVE, Action.REJECT})


def _may(actor: Principal, request: SavedRequest, action: Action) -> bool:
    if (request.status, action) not in TRANSITIONS or not actor.can(_NEEDS[action]):
        return False
    own = request.created_by == actor.actor
    if action in _CREATOR_ONLY and not own:
        return False
    if action in _PEOPLE_ONLY and actor.user_id is None:
        return False
    return not (action is Action.APPROVE and own)  # four eyes


def allowed_actions(actor: Principal, request: SavedRequest) -> frozenset[Action]:
    """The actions `actor` may take on `request` in its current status."""
    if request.deleted_at is not None:
        return frozenset()
    return frozenset(action for action in _NEEDS if _may(actor, request, action))
