"""The quote body at the edge (msgspec) and its conversion to a `Quote` (answer: quote_answer).

Reusable as it is by any route that prices a job from the same inputs (saved pricing
requests): take `QuoteBody` as the body, call `body.to_quote()`, price it with
`pricing_api.quoting.price_quote`, answer `Quoted.as_json()`. Controllers that accept it set
`request_class = ExactJsonRequest`, so that JSON numbers reach the Decimal fields exactly.

Unknown fields are refused (400 naming them); types and bounds the schema can state are
checked here (400); the rule book's own rules (ranges of money fields, percentile versus
level, unknown area) are the core's, answered 422 with the field named.
"""

from __future__ import annotations

import re
from datetime import date as Date  # `date` is also a field's name below
from decimal import Decimal
from typing import Annotated, Any

import msgspec
from litestar.exceptions import SerializationException
from litestar.openapi.spec import Example, OpenAPIType, Schema
from litestar.params import Body as BodyParam
from litestar.types import Empty

from pricing_api.http.body import BodyRequest
from pricing_api.http.quote_answer import ContributionOut, QuoteOut, TitleMatchOut
from pricing_api.http.schemas import NO_NUL, Body
from pricing_api.quoting import Quote, values_checked
from pricing_core.errors import InvalidRequest
from pricing_core.levels import Level
from pricing_core.market.model import ALL_INDUSTRIES
from pricing_core.pricing.model import Match, PricingOptions
from pricing_core.pricing.policy import Quality
from pricing_core.requests.inputs import FIRST_DATE, LAST_DATE

__all__ = [
    "MAX_MATCHES",
    "MAX_QUOTE_BYTES",
    "QUOTE_BODY",
    "ContributionOut",
    "ExactJsonRequest",
    "MatchBody",
    "Number",
    "OptionalNumber",
    "OptionalNumberMap",
    "QuoteBody",
    "QuoteOut",
    "TitleMatchOut",
]

MAX_QUOTE_BYTES = 64 * 1024
MAX_MATCHES = 20  # a composite of more survey jobs than this is not a pricing, it is a typo

_WHOLE = re.compile(r"-?[0-9]+[.]0+")


def _number(text: str) -> Decimal | int:
    # JSON Schema counts 56.0 as an integer, so an integer field takes it; for a decimal
    # field it is the same value.
    return int(text.partition(".")[0]) if _WHOLE.fullmatch(text) else Decimal(text)


_DECODER = msgspec.json.Decoder(float_hook=_number)


class ExactJsonRequest(BodyRequest):
    """A request whose JSON numbers with a fraction decode as Decimal, digit for digit.

    Litestar decodes a body to Python values before converting it to the handler's type;
    with floats, `0.1234567890123456789` would already have lost digits by then.
    """

    async def decode_json(self) -> Any:
        if self._json is Empty:
            body = await self.body()
            try:
                self._json = _DECODER.decode(body or b"null")
            except msgspec.DecodeError as error:
                # What Litestar raises for a malformed body: answered 400.
                raise SerializationException(str(error)) from error
        return self._json


Text = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=NO_NUL)]
Code = Annotated[str, msgspec.Meta(min_length=1, max_length=40, pattern=NO_NUL)]
_NUMBER = "A JSON number or a numeric string; read exactly, never through a float."
# Exponents of up to 18 digits: the decimal reader refuses longer ones.
_NUMERIC = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]{1,18})?$"
_FORMS = [Schema(type=OpenAPIType.NUMBER), Schema(type=OpenAPIType.STRING, pattern=_NUMERIC)]


def _documented_number(*forms: Schema) -> msgspec.Meta:
    # Litestar documents Decimal as a string; this one takes numbers too, so say both.
    return msgspec.Meta(
        extra_json_schema={"description": _NUMBER, "extra": {"type": None, "one_of": list(forms)}}
    )


Number = Annotated[Decimal, _documented_number(*_FORMS)]
OptionalNumber = Annotated[
    Decimal | None, _documented_number(*_FORMS, Schema(type=OpenAPIType.NULL))
]
# A map of names to numbers, or null: each value in either form.
OptionalNumberMap = Annotated[
    dict[str, Decimal] | None,
    msgspec.Meta(
        extra_json_schema={
            "description": _NUMBER,
            "extra": {
                "type": None,
                "one_of": [
                    # Plain JSON: Litestar renders a Schema nested in another's
                    # additional_properties with its Python names.
                    {
                        "type": "object",
                        "additionalProperties": {
                            "oneOf": [{"type": "number"}, {"type": "string", "pattern": _NUMERIC}]
                        },
                    },
                    Schema(type=OpenAPIType.NULL),
                ],
            },
        }
    ),
]


class MatchBody(Body):
    """A survey job matched to the job being priced."""

    source: Code
    job_code: Code
    quality: Quality = Quality.EXACT
    adjustment: Number = Decimal(0)


class QuoteBody(Body):
    """Either `title` (matched to an occupation automatically) or `matches`, plus the area."""

    area: Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=NO_NUL)]
    title: Text | None = None
    matches: Annotated[list[MatchBody], msgspec.Meta(max_length=MAX_MATCHES)] | None = None
    industry: Code = ALL_INDUSTRIES
    date: (
        Annotated[
            Date, msgspec.Meta(description=f"{FIRST_DATE} to {LAST_DATE}; default: today (UTC)")
        ]
        | None
    ) = None
    percentile: Annotated[int, msgspec.Meta(ge=10, le=90)] | None = None
    level: Level | None = None
    positioning: OptionalNumber = None
    spread: OptionalNumber = None
    aging_rate: OptionalNumber = None

    def to_quote(self) -> Quote:
        """The `Quote` both front doors price; each bad value (a non-finite number, an
        empty or over-long text, both or neither of title and matches) names its field."""
        with values_checked():
            matches = [
                Match(
                    source=m.source,
                    job_code=m.job_code,
                    quality=m.quality,
                    adjustment=_finite(f"matches[{i}].adjustment", m.adjustment),
                )
                for i, m in enumerate(self.matches or ())
            ]
            return Quote(
                area=self.area,
                title=self.title,
                matches=matches,
                pricing_date=self.date,
                options=PricingOptions(
                    industry=self.industry,
                    percentile=self.percentile,
                    level=self.level,
                    positioning=_finite("positioning", self.positioning),
                    spread=_finite("spread", self.spread),
                    aging_rate=_finite("aging_rate", self.aging_rate),
                ),
            )


# What the schema cannot say with the struct alone: exactly one of `title` and `matches`,
# nothing else, and two examples (Schemathesis sends them first).
QUOTE_BODY = BodyParam(
    title="Quote",
    schema_extra={
        "additionalProperties": False,
        "oneOf": [
            Schema(required=["title"], properties={"title": Schema(type=OpenAPIType.STRING)}),
            Schema(required=["matches"], properties={"matches": Schema(type=OpenAPIType.ARRAY)}),
        ],
    },
    examples=[
        Example(
            summary="By title",
            value={"title": "Senior Software Engineer", "area": "San Jose", "date": "2026-01-01"},
        ),
        Example(
            summary="By survey matches",
            value={
                "matches": [
                    {"source": "oews-2025", "job_code": "15-1252", "quality": "exact"},
                    {"source": "oews-2025", "job_code": "15-1253", "adjustment": "0.05"},
                ],
                "area": "0041940",
                "percentile": 75,
                "positioning": 0.02,
                "date": "2026-01-01",
            },
        ),
    ],
)


def _finite(field: str, value: Decimal | None) -> Any:
    if value is not None and not value.is_finite():
        raise InvalidRequest(field, "must be a finite number", str(value))
    return value
