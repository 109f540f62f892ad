"""Click parameter types for the domain's values: Decimal, dates and match specifications."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

import click

from pricing_core.batch.rows import parse_match
from pricing_core.errors import InvalidRequest
from pricing_core.pricing.model import Match

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
        try:
            return parse_match(str(value))
        except InvalidRequest as error:
            self.fail(error.message, param, ctx)


DECIMAL = DecimalType()
DATE = DateType()
MATCH = MatchType()
