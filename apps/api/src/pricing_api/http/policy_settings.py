"""`/api/v1/settings/pricing-policy`: the pricing policy in force, and changing it.

PUT takes only the settings to change (absent or null: unchanged); each one given replaces
its value whole, a map included (so `source_weights` lists every source that should not
weigh 1). The merged policy is validated as a whole: a bad value answers 422 naming the field
(`range_spread`, `source_weights.mercer-2025`) and changes nothing. A change is stored as the
next version, in force at once for every quote and saved request (whose result records its
`policy_version`), and audited (`policy_update`, with each changed setting before and after).
Decimal settings are answered as exact decimal strings; send numbers or strings.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import TypeVar

import msgspec
from litestar import Controller, get, put
from litestar.params import JSONBody

from pricing_api.http.documented import POLICY_PROBLEMS, answer, request_problems
from pricing_api.http.quote_schema import ExactJsonRequest, Number, OptionalNumberMap
from pricing_api.http.schemas import MAX_BODY_BYTES, Body, Caller, Info, Services
from pricing_api.http.security import needs
from pricing_core.access.roles import Permission
from pricing_core.pricing.ports import PolicyRecord

__all__ = ["PolicyChanges", "PolicyOut", "PricingPolicyController", "policy_out"]

V = TypeVar("V")


class PolicyChanges(Body):
    """The settings to change; the others keep their values."""

    aging_rate: Number | None = None
    source_weights: OptionalNumberMap = None
    quality_weights: OptionalNumberMap = None
    level_percentiles: dict[str, int] | None = None
    range_spread: Number | None = None
    range_spreads: OptionalNumberMap = None
    positioning: Number | None = None
    rounding_increment: Number | None = None
    min_organizations: int | None = None
    max_age_months: int | None = None

    def given(self) -> dict[str, object]:
        return {k: v for k, v in msgspec.structs.asdict(self).items() if v is not None}


class PolicyOut(msgspec.Struct):
    """The policy in force: version 1 is the rule book's defaults (saved by nobody)."""

    version: int
    saved_at: datetime | None
    saved_by: str | None
    aging_rate: Decimal
    source_weights: dict[str, Decimal]
    quality_weights: dict[str, Decimal]
    level_percentiles: dict[str, int]
    range_spread: Decimal
    range_spreads: dict[str, Decimal]
    positioning: Decimal
    rounding_increment: Decimal
    min_organizations: int
    max_age_months: int


def _sorted(mapping: Mapping[str, V]) -> dict[str, V]:
    return dict(sorted(mapping.items()))


def policy_out(record: PolicyRecord) -> PolicyOut:
    """The answer of both routes, from the policy's own values (decimals stay exact)."""
    policy = record.policy
    return PolicyOut(
        version=policy.version,
        saved_at=record.saved_at,
        saved_by=record.saved_by,
        aging_rate=policy.aging_rate,
        source_weights=_sorted(policy.source_weights),
        quality_weights=_sorted(policy.quality_weights),
        level_percentiles=_sorted(policy.level_percentiles),
        range_spread=policy.range_spread,
        range_spreads=_sorted(policy.range_spreads),
        positioning=policy.positioning,
        rounding_increment=policy.rounding_increment,
        min_organizations=policy.min_organizations,
        max_age_months=policy.max_age_months,
    )


class PricingPolicyController(Controller):
    path = "/api/v1/settings/pricing-policy"
    tags = ("settings",)
    request_class = ExactJsonRequest
    request_max_body_size = MAX_BODY_BYTES

    @get(
        "/",
        opt=needs(Permission.VIEW_JOB_PRICING),
        sync_to_thread=True,
        summary="The pricing policy in force, with its version",
        responses={
            **answer(200, PolicyOut, "Every setting; decimals as exact strings."),
            **request_problems(401, 403, 503),
        },
    )
    def read(self, services: Services, principal: Caller) -> PolicyOut:
        return policy_out(services.requests.read_policy(principal))

    @put(
        "/",
        opt=needs(Permission.MANAGE_SETTINGS),
        sync_to_thread=True,
        summary="Change some settings: validated, stored as a new version, audited",
        responses={
            **answer(200, PolicyOut, "The policy now in force (unchanged if nothing changed)."),
            **request_problems(400, 401, 403, 409, 413, 422, 503, described=POLICY_PROBLEMS),
        },
    )
    def update(
        self, data: JSONBody[PolicyChanges], services: Services, principal: Caller, info: Info
    ) -> PolicyOut:
        """422 names the bad setting and changes nothing; 409 if another change won a race."""
        record = services.requests.update_policy(principal, data.given(), info)
        return policy_out(record)
