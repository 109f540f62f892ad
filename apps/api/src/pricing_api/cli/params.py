"""Click parameter types for the domain's values: Decimal, dates and match specifications."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

import click

from pricing_core.pricing.model import Match
from pricing_core.pricing.policy import Quality

__all__ = ["DATE", "DECIMAL", "MATCH"]


class DecimalType(click.ParamType[Decimal]):
    name = "decimal"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> Decimal:
        if isinstance(value, Decimal):
            return value
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            self.fail(f"{value!r} is not a number", param, ctx)
        if not number.is_finite():
            self.fail(f"{value!r} is not a finite number", param, ctx)
        return number


class DateType(click.ParamType[date]):
    name = "YYYY-MM-DD"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date of the form YYYY-MM-DD", param, ctx)


class MatchType(click.ParamType[Match]):
    """SOURCE:JOB_CODE[:QUALITY[:ADJUSTMENT]], e.g. oews-2025:15-1252:close:0.05."""

    name = "SOURCE:JOB_CODE[:QUALITY[:ADJUSTMENT]]"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> Match:
        if isinstance(value, Match):
            return value
        parts = str(value).split(":")
        if not 2 <= len(parts) <= 4 or not all(parts[:2]):
            self.fail(f"{value!r} is not SOURCE:JOB_CODE[:QUALITY[:ADJUSTMENT]]", param, ctx)
        quality = parts[2] if len(parts) > 2 and parts[2] else "exact"
        if quality not in {q.value for q in Quality}:
            self.fail(
                f"quality {quality!r} in {value!r} is not exact, close or partial", param, ctx
            )
        adjustment = DECIMAL.convert(parts[3], param, ctx) if len(parts) > 3 else Decimal(0)
        try:
            return Match(source=parts[0], job_code=parts[1], quality=quality, adjustment=adjustment)
        except ValueError as error:
            self.fail(f"{value!r}: {error}", param, ctx)


DECIMAL = DecimalType()
DATE = DateType()
MATCH = MatchType()
