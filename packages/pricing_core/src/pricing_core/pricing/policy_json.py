"""The pricing policy as plain JSON values and back: decimals as exact strings, errors naming
the field (`range_spread`, `source_weights.mercer-2025`)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

from pricing_core.errors import InvalidRequest
from pricing_core.pricing.policy import PricingPolicy

__all__ = ["POLICY_FIELDS", "policy_as_json", "policy_from_json"]

POLICY_FIELDS: tuple[str, ...] = tuple(
    a.name for a in attrs.fields(PricingPolicy) if a.name != "version"
)
_DECIMALS = frozenset({"aging_rate", "range_spread", "positioning", "rounding_increment"})
_DECIMAL_MAPS = frozenset({"source_weights", "quality_weights", "range_spreads"})
_INTEGER_MAPS = frozenset({"level_percentiles"})
# PricingPolicy bounds these from below only; a larger value would overflow date arithmetic
# when a cut's age is checked, so every quote would fail (reported as a bug in the policy).
_INTEGER_LIMITS = {"min_organizations": 1_000_000, "max_age_months": 1200}
MAX_KEY = 100  # a source name (market_sources.name is 100 characters)


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in sorted(value.items())}
    return value


def policy_as_json(policy: PricingPolicy) -> dict[str, Any]:
    """Every setting but the version; decimals as strings, so nothing is rounded on the way."""
    return {name: _plain(getattr(policy, name)) for name in POLICY_FIELDS}


def _decimal(field: str, value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int | float | str):
        raise InvalidRequest(field, "must be a number", value)
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidRequest(field, "must be a number", value) from None
    if not number.is_finite():
        raise InvalidRequest(field, "must be a finite number", value)
    return number


def _integer(field: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidRequest(field, "must be a whole number", value)
    limit = _INTEGER_LIMITS.get(field.partition(".")[0])
    if limit is not None and value > limit:
        raise InvalidRequest(field, f"must be at most {limit}", value)
    return value


def _mapping(field: str, value: object) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise InvalidRequest(field, "must be an object of names to numbers")
    for key in value:
        text = str(key)
        if not text or len(text) > MAX_KEY or any(ch.isspace() or ord(ch) < 32 for ch in text):
            raise InvalidRequest(field, f"keys must be names of 1-{MAX_KEY} characters", text)
    return value


def _converted(field: str, value: object) -> object:
    if field in _DECIMALS:
        return _decimal(field, value)
    if field in _DECIMAL_MAPS:
        return {str(k): _decimal(f"{field}.{k}", v) for k, v in _mapping(field, value).items()}
    if field in _INTEGER_MAPS:
        return {str(k): _integer(f"{field}.{k}", v) for k, v in _mapping(field, value).items()}
    return _integer(field, value)


def _field_of(message: str) -> tuple[str, str]:
    """(field, problem) from a PricingPolicy validator's message, which starts with the field:
    `range_spread must be …`, `source_weights.x must be …` or attrs' `'min_organizations' …`."""
    head, _, rest = message.partition(" ")
    name = head.strip("'\"")
    if name.partition(".")[0] in POLICY_FIELDS and rest:
        return name, rest
    return "policy", message


def policy_from_json(data: Mapping[str, object], *, version: int) -> PricingPolicy:
    """A validated policy from every setting (or some: the others take the rule book's
    defaults); an unknown or invalid setting raises InvalidRequest naming it."""
    unknown = sorted(str(k) for k in data if k not in POLICY_FIELDS)
    if unknown:
        raise InvalidRequest(unknown[0], "is not a policy setting")
    values = {name: _converted(name, value) for name, value in data.items()}
    try:
        return PricingPolicy(version=version, **values)  # type: ignore[arg-type]  # checked above
    except InvalidRequest:
        raise
    except (ValueError, TypeError) as error:
        field, problem = _field_of(str(error))
        raise InvalidRequest(field, problem) from None
