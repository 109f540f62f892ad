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

__all__ = ["MAX_MATCHES", "MAX_TEXT", "PricingInputs", "inputs_as_json", "inputs_from_json"]

MAX_MATCHES = 20
MAX_TEXT = 200  # a title, an area name, an industry code


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


@attrs.frozen(kw_only=True)
class PricingInputs:
    """A title (matched automatically) or explicit survey matches, plus the options.

    Without a date the request is priced as of the day it is priced (and re-priced).
    """

    title: str | None = attrs.field(default=None, converter=_title)
    matches: tuple[Match, ...] = attrs.field(default=(), converter=_matches)
    area: str = attrs.field(converter=_area)
    pricing_date: date | None = None
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
    """The inverse of `inputs_as_json`."""
    day = data.get("date")
    return PricingInputs(
        title=data.get("title"),
        matches=[Match(**m) for m in data.get("matches") or ()],
        area=data["area"],
        pricing_date=date.fromisoformat(day) if day else None,
        options=PricingOptions(
            industry=data.get("industry") or ALL_INDUSTRIES,
            percentile=data.get("percentile"),
            level=data.get("level"),
            positioning=data.get("positioning"),
            spread=data.get("spread"),
            aging_rate=data.get("aging_rate"),
        ),
    )
