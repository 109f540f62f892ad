"""The result as pricing-method.md's JSON, and as plain sentences that explain each number."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pricing_core.market.model import PERCENTILES
from pricing_core.pricing.model import Contribution, PricingResult
from pricing_core.pricing.rules import round_half_up

__all__ = ["explain", "result_as_json"]

CENT = Decimal("0.01")
FACTOR = Decimal("0.0001")


def _money(value: Decimal) -> float:
    # JSON numbers: a value rounded to the cent survives the float round trip exactly.
    return float(round_half_up(value, CENT))


def _whole(value: Decimal) -> int | float:
    # Range figures are whole with the default increment of 100; a finer increment keeps cents.
    return int(value) if value == value.to_integral_value() else float(value)


def _factor(value: Decimal) -> float:
    return float(round_half_up(value, FACTOR))


def _percentiles(values: dict[int, Decimal] | Any) -> dict[str, float]:
    return {f"p{p}": _money(values[p]) for p in PERCENTILES if p in values}


def _contribution(c: Contribution) -> dict[str, Any]:
    figures = c.included
    return {
        "source": c.source,
        "version": c.version,
        "job_code": c.job_code,
        "quality": str(c.quality),
        "area_requested": c.area_requested,
        "area_used": c.area_used,
        "industry_used": c.industry_used,
        "effective_date": c.effective_date.isoformat() if c.effective_date else None,
        "gd": _factor(c.gd) if figures and c.gd is not None else None,
        "af": _factor(c.af) if figures and c.af is not None else None,
        "adjustment": float(c.adjustment),
        "weight": float(c.weight) if figures and c.weight is not None else None,
        "score": c.score if figures else None,
        "percentiles": _percentiles(c.percentiles) if figures else None,
        "lower_bound": [f"p{p}" for p in sorted(c.lower_bound)],
        "notes": list(c.notes),
        "excluded": c.excluded,
    }


def result_as_json(result: PricingResult) -> dict[str, Any]:
    """The shared CLI `--json` / REST shape; market figures to the cent, the range whole."""
    r = result.range
    return {
        "currency": result.currency,
        "pricing_date": result.pricing_date.isoformat(),
        "area": {"code": result.area.code, "name": result.area.name},
        "industry": result.industry,
        "target_percentile": result.target_percentile,
        "level": str(result.level) if result.level else None,
        "market": _percentiles(result.market),
        "lower_bound": [f"p{p}" for p in sorted(result.lower_bound)],
        "market_rate": _money(result.market_rate),
        "range": {
            "minimum": _whole(r.minimum),
            "midpoint": _whole(r.midpoint),
            "maximum": _whole(r.maximum),
            "spread": float(r.spread),
        },
        "confidence": {
            "score": result.confidence.score,
            "label": result.confidence.label,
            "reasons": list(result.confidence.reasons),
        },
        "contributions": [_contribution(c) for c in result.contributions],
        "dataset_versions": dict(result.dataset_versions),
        "policy_version": result.policy_version,
        "warnings": list(result.warnings),
    }


def _amount(value: Decimal, currency: str) -> str:
    return f"{currency} {round_half_up(value, CENT):,.2f}"


def explain(result: PricingResult) -> list[str]:
    """One sentence per step, so that an analyst can check every number by hand."""
    cur = result.currency
    lines = []
    for c in result.contributions:
        head = f"{c.source} {c.version} {c.job_code} ({c.quality})"
        if not c.included:
            lines.append(f"{head}: excluded ({c.excluded})")
            continue
        where = (
            c.area_used
            if c.area_used == c.area_requested
            else f"{c.area_used} instead of {c.area_requested}"
        )
        notes = f"; notes: {', '.join(c.notes)}" if c.notes else ""
        lines.append(
            f"{head}: cut for area {where}, industry {c.industry_used}, effective "
            f"{c.effective_date}; GD {_factor(c.gd or Decimal(1))}"
            f" × aging {_factor(c.af or Decimal(1))}"
            f" × (1 + adjustment {c.adjustment}); weight {c.weight}; score {c.score}{notes}"
        )
    shown = ", ".join(
        f"P{p} {_amount(v, cur)}{' (at least)' if p in result.lower_bound else ''}"
        for p, v in sorted(result.market.items())
    )
    lines.append(f"composite market: {shown}")
    lines.append(f"market rate: P{result.target_percentile} = {_amount(result.market_rate, cur)}")
    r = result.range
    lines.append(
        f"range (spread {r.spread:%} on the minimum, rounded half up): "
        f"{cur} {r.minimum:,.0f} – {r.midpoint:,.0f} – {r.maximum:,.0f}"
    )
    return lines
