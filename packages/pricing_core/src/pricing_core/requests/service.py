"""Saved pricing requests: create, edit a draft, delete, re-price into a new draft.

A draft is its creator's work in progress: only they edit or submit it (so that the four-eyes
rule, which bars the creator from approving, also covers whoever shaped the numbers). Nobody
edits a submitted or decided request; re-pricing a decided one makes a new draft and leaves
the old one as it was.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from pricing_core.access.audit import RequestInfo, require
from pricing_core.access.model import Principal
from pricing_core.access.roles import Permission
from pricing_core.requests.inputs import PricingInputs, inputs_as_json
from pricing_core.requests.ledger import Ledger
from pricing_core.requests.model import Action, RequestDetail, RequestStatus, SavedRequest
from pricing_core.requests.pricer import Priced, PriceInputs
from pricing_core.requests.rules import compare, next_status

__all__ = ["CreateRequest", "DeleteRequest", "EditRequest", "RepriceRequest", "check_owner"]


def _priced_fields(priced: Priced) -> dict[str, Any]:
    return {
        "result": priced.result,
        "job_code": priced.job_code,
        "area_code": priced.area_code,
        "dataset_versions": priced.dataset_versions,
        "policy_version": priced.policy_version,
    }


def _facts(priced: Priced) -> dict[str, object]:
    return {
        "job_code": priced.job_code,
        "area_code": priced.area_code,
        "market_rate": priced.result["market_rate"],
        "policy_version": priced.policy_version,
        "dataset_versions": dict(priced.dataset_versions),
    }


def check_owner(
    ledger: Ledger, request: SavedRequest, actor: Principal, action: Action, info: RequestInfo
) -> None:
    """Only a draft's creator edits or submits it."""
    if request.created_by != actor.actor:
        message = f"only the creator of a draft may {action} it: a draft is their work in progress"
        raise ledger.refuse(request, actor, action, message, info)


def _new_draft(
    ledger: Ledger,
    inputs: PricingInputs,
    priced: Priced,
    actor: Principal,
    *,
    repriced_from: str | None = None,
    comparison: Mapping[str, Any] | None = None,
) -> SavedRequest:
    now = ledger.clock.now()
    return SavedRequest(
        id=ledger.ids.new_id(),
        status=RequestStatus.DRAFT,
        revision=1,
        inputs=inputs,
        result=priced.result,
        job_code=priced.job_code,
        area_code=priced.area_code,
        dataset_versions=priced.dataset_versions,
        policy_version=priced.policy_version,
        created_by=actor.actor,
        created_at=now,
        updated_at=now,
        repriced_from=repriced_from,
        comparison=comparison,
    )


@attrs.frozen(kw_only=True)
class CreateRequest:
    """Price now and save as a draft (CREATE_JOB_PRICING); nothing is saved if pricing fails."""

    ledger: Ledger
    price: PriceInputs

    def __call__(self, actor: Principal, inputs: PricingInputs, info: RequestInfo) -> RequestDetail:
        require(actor, Permission.CREATE_JOB_PRICING)
        priced = self.price(inputs)
        request = _new_draft(self.ledger, inputs, priced, actor)
        return self.ledger.add(request, actor, _facts(priced), info)


@attrs.frozen(kw_only=True)
class EditRequest:
    """Replace a draft's inputs and price it again (UPDATE_JOB_PRICING, its creator only)."""

    ledger: Ledger
    price: PriceInputs

    def __call__(
        self, actor: Principal, request_id: str, inputs: PricingInputs, info: RequestInfo
    ) -> RequestDetail:
        require(actor, Permission.UPDATE_JOB_PRICING)
        before = self.ledger.load(request_id)
        next_status(before.status, Action.EDIT)
        check_owner(self.ledger, before, actor, Action.EDIT, info)
        priced = self.price(inputs)
        comparison = before.comparison
        if before.repriced_from is not None:
            original = self.ledger.store.get(before.repriced_from)
            comparison = None if original is None else compare(original.result, priced.result)
        after = attrs.evolve(before, inputs=inputs, comparison=comparison, **_priced_fields(priced))
        old, new = inputs_as_json(before.inputs), inputs_as_json(inputs)
        detail = {
            **_facts(priced),
            "changed": sorted(k for k in new if new[k] != old[k]),
            "previous_market_rate": before.result["market_rate"],
        }
        return self.ledger.change(before, after, actor, Action.EDIT, detail, info)


@attrs.frozen(kw_only=True)
class DeleteRequest:
    """Soft-delete a request in any status (DELETE_JOB_PRICING): hidden, kept, audited."""

    ledger: Ledger

    def __call__(self, actor: Principal, request_id: str, info: RequestInfo) -> RequestDetail:
        require(actor, Permission.DELETE_JOB_PRICING)
        before = self.ledger.load(request_id)
        next_status(before.status, Action.DELETE)
        after = attrs.evolve(before, deleted_at=self.ledger.clock.now())
        return self.ledger.change(before, after, actor, Action.DELETE, {}, info)


@attrs.frozen(kw_only=True)
class RepriceRequest:
    """Price a decided request's inputs again into a NEW draft that shows the difference
    (CREATE_JOB_PRICING); the decided request and its result stay exactly as they were."""

    ledger: Ledger
    price: PriceInputs

    def __call__(self, actor: Principal, request_id: str, info: RequestInfo) -> RequestDetail:
        require(actor, Permission.CREATE_JOB_PRICING)
        original = self.ledger.load(request_id)
        next_status(original.status, Action.REPRICE)
        priced = self.price(original.inputs)
        comparison = compare(original.result, priced.result)
        draft = _new_draft(
            self.ledger,
            original.inputs,
            priced,
            actor,
            repriced_from=original.id,
            comparison=comparison,
        )
        detail = {**_facts(priced), "repriced_from": original.id}
        return self.ledger.add(draft, actor, detail, info, audited_as=Action.REPRICE)
