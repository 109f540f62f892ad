"""Pay against a range: compa-ratio, range penetration and the out-of-range flags."""

from __future__ import annotations

from decimal import Decimal

import attrs

from pricing_core.errors import InvalidRequest

__all__ = ["PayPosition", "pay_position"]


@attrs.frozen(kw_only=True)
class PayPosition:
    compa_ratio: Decimal
    range_penetration: Decimal
    below_minimum: bool
    above_maximum: bool


def pay_position(
    pay: Decimal, minimum: Decimal, midpoint: Decimal, maximum: Decimal
) -> PayPosition:
    """`pay / midpoint` and `(pay - minimum) / (maximum - minimum)`, unrounded."""
    if pay < 0:
        raise InvalidRequest("pay", "must not be negative", pay)
    if not Decimal(0) < minimum <= midpoint <= maximum or minimum == maximum:
        raise InvalidRequest(
            "range", "needs 0 < minimum <= midpoint <= maximum and minimum < maximum"
        )
    return PayPosition(
        compa_ratio=pay / midpoint,
        range_penetration=(pay - minimum) / (maximum - minimum),
        below_minimum=pay < minimum,
        above_maximum=pay > maximum,
    )
