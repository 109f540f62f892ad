"""What an analyst asked to price, kept with a saved request so it can be priced again."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import attrs

from pricing_core.errors import InvalidRequest
from pricing_core.market.model import ALL_INDUSTRIES
from pricing_core.pricing.model import Match, PricingOptions

__all__ = [
    "FIRST_DATE",
    "LAST_DATE",
    "MAX_MATCHES",
    "MAX_TEXT",
    "PricingInputs",
    "check_pricing_date",
    "inputs_as_json",
    "inputs_from_json",
]

MAX_MATCHES = 20
MAX_TEXT = 200  # a title, an area name, an industry code
# No salary survey reaches outside these; aging a market to year 1 or 9999 prices nonsense
# (year 1 priced at zero) instead of telling the caller the date is a typo.
FIRST_DATE = date(1900, 1, 1)
LAST_DATE = date(2100, 12, 31)


def _text(field: str, value: str, *, required: bool) -> str:
    text = value.strip()
    if required and not text:
        raise InvalidRequest(field, "must not be empty")
    if len(text) > MAX_TEXT:
        raise InvalidRequest(field, f"must be at most {MAX_TEXT} characters")
    if any(unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"} for ch in text):
        raise InvalidRequest(field, "must not contain control characters or line breaks")
    return text


def _title(value: str | None) -> str | None:
    return None if value is None else _text("title", value, required=True)


def _area(value: str) -> str:
    return _text("area", value, required=True)


def _options(value: PricingOptions) -> PricingOptions:
    return attrs.evolve(value, industry=_text("industry", value.industry, required=True))


def _matches(values: Iterable[Match]) -> tuple[Match, ...]:
    matches = tuple(values)
    if len(matches) > MAX_MATCHES:
        raise InvalidRequest("matches", f"at most {MAX_MATCHES} matches", len(matches))
    return matches


def check_pricing_date(value: date | None) -> None:
    """A pricing date from FIRST_DATE to LAST_DATE (or none: the day it is priced)."""
    if value is not None and not FIRST_DATE <= value <= LAST_DATE:
        raise InvalidRequest("date", f"must be between {FIRST_DATE} and {LAST_DATE}", value)


def _pricing_date(_: object, __: object, value: date | None) -> None:
    check_pricing_date(value)


@attrs.frozen(kw_only=True)
class PricingInputs:
    """A title (matched automatically) or explicit survey matches, plus the options.

    Without a date the request is priced as of the day it is priced (and re-priced).
    """

    title: str | None = attrs.field(default=None, converter=_title)
    matches: tuple[Match, ...] = attrs.field(default=(), converter=_matches)
    area: str = attrs.field(converter=_area)
    pricing_date: date | None = attrs.field(default=None, validator=_pricing_date)
    options: PricingOptions = attrs.field(factory=PricingOptions, converter=_options)

    def __attrs_post_init__(self) -> None:
        if (self.title is None) == (not self.matches):
            raise InvalidRequest("title", "give either a title or at least one match, not both")


def _match_json(match: Match) -> dict[str, str]:
    return {
        "source": match.source,
        "job_code": match.job_code,
        "quality": str(match.quality),
        "adjustment": str(match.adjustment),
    }


def inputs_as_json(inputs: PricingInputs) -> dict[str, Any]:
    """JSON values; decimals as strings, so that a stored request re-prices exactly."""
    o = inputs.options
    return {
        "title": inputs.title,
        "matches": [_match_json(m) for m in inputs.matches] if inputs.matches else None,
        "area": inputs.area,
        "industry": o.industry,
        "date": inputs.pricing_date.isoformat() if inputs.pricing_date else None,
        "percentile": o.percentile,
        "level": str(o.level) if o.level else None,
        "positioning": None if o.positioning is None else str(o.positioning),
        "spread": None if o.spread is None else str(o.spread),
        "aging_rate": None if o.aging_rate is None else str(o.aging_rate),
    }


def inputs_from_json(data: Mapping[str, Any]) -> PricingInputs:
    """The inverse of `inputs_as_json`.

    A stored date is kept as stored, even outside FIRST_DATE..LAST_DATE: requests saved
    before that bound existed still open (re-pricing them is what refuses the date).
    """
    day = data.get("date")
    inputs = PricingInputs(
        title=data.get("title"),
        matches=[Match(**m) for m in data.get("matches") or ()],
        area=data["area"],
        options=PricingOptions(
            industry=data.get("industry") or ALL_INDUSTRIES,
            percentile=data.get("percentile"),
            level=data.get("level"),
            positioning=data.get("positioning"),
            spread=data.get("spread"),
            aging_rate=data.get("aging_rate"),
        ),
    )
    if day:
        # attrs' documented way past a frozen class's validators: only for stored values.
        object.__setattr__(inputs, "pricing_date", date.fromisoformat(day))
    return inputs
