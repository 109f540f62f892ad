"""The one writer of saved requests: every change with its history row and its audit row,
committed together in one unit of work."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from pricing_core.access.audit import Auditor, RequestInfo
from pricing_core.access.model import Outcome, Principal
from pricing_core.errors import Forbidden, NotFound
from pricing_core.ports import Clock, UnitOfWork
from pricing_core.requests.model import Action, RequestDetail, RequestEvent, SavedRequest
from pricing_core.requests.ports import Ids, RequestStore

__all__ = ["AUDIT_TARGET", "Ledger", "audit_action"]

AUDIT_TARGET = "pricing_request"


def audit_action(action: Action) -> str:
    return f"{AUDIT_TARGET}_{action}"


@attrs.frozen(kw_only=True)
class Ledger:
    """Loads live requests and records changes: store, history and audit log agree."""

    store: RequestStore
    auditor: Auditor
    clock: Clock
    ids: Ids
    uow: UnitOfWork

    def load(self, request_id: str) -> SavedRequest:
        """A request that exists and is not deleted; anything else is NotFound."""
        found = self.store.get(request_id)
        if found is None or found.deleted_at is not None:
            # Not `request_id`: in a problem body that is the HTTP request's id.
            raise NotFound("no such pricing request", pricing_request_id=request_id)
        return found

    def detail(self, request: SavedRequest) -> RequestDetail:
        return RequestDetail(request=request, history=tuple(self.store.history(request.id)))

    def add(
        self,
        request: SavedRequest,
        actor: Principal,
        detail: Mapping[str, object],
        info: RequestInfo,
        *,
        audited_as: Action = Action.CREATE,
    ) -> RequestDetail:
        event = self._event(
            request, actor, Action.CREATE, {"status": str(request.status), **detail}
        )
        with self.uow.transaction():
            self.store.add(request, event)
            self._audit(audited_as, request, actor, Outcome.SUCCESS, event.detail, info)
        return self.detail(request)

    def change(
        self,
        before: SavedRequest,
        after: SavedRequest,
        actor: Principal,
        action: Action,
        detail: Mapping[str, object],
        info: RequestInfo,
    ) -> RequestDetail:
        """Store `after` (one revision on from `before`) with a history row for `action`."""
        after = attrs.evolve(after, revision=before.revision + 1, updated_at=self.clock.now())
        event = self._event(after, actor, action, {"status": str(after.status), **detail})
        with self.uow.transaction():
            self.store.update(after, event, revision=before.revision)
            self._audit(action, after, actor, Outcome.SUCCESS, event.detail, info)
        return self.detail(after)

    def refuse(
        self,
        request: SavedRequest,
        actor: Principal,
        action: Action,
        message: str,
        info: RequestInfo,
    ) -> Forbidden:
        """Audit a refusal by a workflow rule (four-eyes, ownership); the caller raises it."""
        self._audit(action, request, actor, Outcome.DENIED, {"reason": message}, info)
        return Forbidden(message, pricing_request_id=request.id)

    def _event(
        self,
        request: SavedRequest,
        actor: Principal,
        action: Action,
        detail: Mapping[str, object],
    ) -> RequestEvent:
        return RequestEvent(
            request_id=request.id,
            at=request.updated_at,
            actor=actor.actor,
            action=action,
            detail=dict(detail),
        )

    def _audit(
        self,
        action: Action,
        request: SavedRequest,
        actor: Principal,
        outcome: Outcome,
        detail: Mapping[str, object],
        info: RequestInfo,
    ) -> None:
        self.auditor.record(
            audit_action(action),
            outcome,
            info,
            actor=actor.actor,
            target_type=AUDIT_TARGET,
            target_id=request.id,
            detail=detail,
        )
