"""Converters and validators shared by the domain's values; failures name the field."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from pricing_core.errors import InvalidRequest

__all__ = ["between", "to_decimal", "to_optional_decimal"]


def to_decimal(value: object) -> Decimal:
    """Decimal from a Decimal, int, str or float; a float is read by its shortest repr."""
    if isinstance(value, Decimal):
        number = value
    else:
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise InvalidRequest("value", "is not a number", value) from None
    if number.is_nan():
        raise InvalidRequest("value", "is not a number", value)
    # Infinities pass: the field's range validator refuses them and names the field.
    return number


def to_optional_decimal(value: object) -> Decimal | None:
    return None if value is None else to_decimal(value)


def between(low: Decimal | int, high: Decimal | int) -> Callable[[Any, Any, Any], None]:
    """An attrs validator: low <= value <= high (None passes), naming the attribute."""

    def check(_: object, attribute: Any, value: Decimal | int | None) -> None:
        if value is not None and not low <= value <= high:
            raise InvalidRequest(attribute.name, f"must be between {low} and {high}", value)

    return check
