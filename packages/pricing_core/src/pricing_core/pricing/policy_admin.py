"""Reading and changing the pricing policy: validated, versioned and audited."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from pricing_core.access.audit import Auditor, RequestInfo, require
from pricing_core.access.model import Outcome, Principal
from pricing_core.access.roles import Permission
from pricing_core.errors import InvalidRequest
from pricing_core.ports import Clock, UnitOfWork
from pricing_core.pricing.policy_json import POLICY_FIELDS, policy_as_json, policy_from_json
from pricing_core.pricing.ports import PolicyRecord, PolicyStore

__all__ = ["ReadPolicy", "UpdatePolicy", "current_record"]

AUDIT_ACTION = "policy_update"
TARGET = "pricing_policy"


def current_record(policies: PolicyStore) -> PolicyRecord:
    """The policy in force with who saved it and when (nobody, for the rule book's defaults)."""
    policy = policies.current()
    saved = next((r for r in policies.history() if r.policy.version == policy.version), None)
    return saved if saved is not None else PolicyRecord(policy=policy)


@attrs.frozen(kw_only=True)
class ReadPolicy:
    """The policy in force, for anyone who may price (VIEW_JOB_PRICING)."""

    policies: PolicyStore

    def __call__(self, actor: Principal) -> PolicyRecord:
        require(actor, Permission.VIEW_JOB_PRICING)
        return current_record(self.policies)


@attrs.frozen(kw_only=True)
class UpdatePolicy:
    """Change some settings (MANAGE_SETTINGS): each given setting replaces its value whole.

    The merged policy is validated as a whole before anything is stored; a refused change
    stores nothing and is audited as a failure naming the field. A change that changes no
    value stores no version. Every stored change is a new version, audited with the changed
    settings' values before and after, in the same unit of work as the new version.
    """

    policies: PolicyStore
    auditor: Auditor
    clock: Clock
    uow: UnitOfWork

    def __call__(
        self, actor: Principal, changes: Mapping[str, object], info: RequestInfo
    ) -> PolicyRecord:
        require(actor, Permission.MANAGE_SETTINGS)
        before = self.policies.current()
        try:
            candidate = policy_from_json(
                {**policy_as_json(before), **changes}, version=before.version
            )
        except InvalidRequest as error:
            self._record(actor, info, Outcome.FAILURE, str(before.version), {"field": error.field})
            raise
        changed = [f for f in POLICY_FIELDS if getattr(candidate, f) != getattr(before, f)]
        if not changed:
            return current_record(self.policies)
        now = self.clock.now()
        with self.uow.transaction():
            saved = self.policies.save(candidate, saved_at=now, saved_by=actor.actor)
            old, new = policy_as_json(before), policy_as_json(saved)
            self._record(
                actor,
                info,
                Outcome.SUCCESS,
                str(saved.version),
                {
                    "version": saved.version,
                    "previous_version": before.version,
                    "changes": {f: {"before": old[f], "after": new[f]} for f in changed},
                },
            )
        return PolicyRecord(policy=saved, saved_at=now, saved_by=actor.actor)

    def _record(
        self,
        actor: Principal,
        info: RequestInfo,
        outcome: Outcome,
        version: str,
        detail: Mapping[str, object],
    ) -> None:
        self.auditor.record(
            AUDIT_ACTION,
            outcome,
            info,
            actor=actor.actor,
            target_type=TARGET,
            target_id=version,
            detail=detail,
        )
