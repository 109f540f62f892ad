"""A priced result (pricing-method.md's JSON) as the price and request pages show it.

Only presentation: amounts as `189,400`, and the range chart's geometry. Every number comes
from the result the core priced.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

__all__ = ["Chart", "ResultView", "amount", "view_result"]

PERCENTILES = ("p10", "p25", "p50", "p75", "p90")
CHART_WIDTH = 640
_LEFT, _RIGHT = 20, 620  # drawing area inside the view box, leaving room for labels
_LABEL_Y = 90


def amount(value: Any) -> str:
    """`189400` → `189,400` (whole currency units, as the range is rounded)."""
    if value is None:
        return "—"
    return f"{round(float(value)):,}"


@attrs.frozen(kw_only=True)
class Chart:
    """Positions (SVG user units) of the market band, the range bar and the target mark."""

    p10_x: float
    p90_x: float
    p25_x: float
    p75_x: float
    min_x: float
    max_x: float
    mid_x: float
    target_x: float
    target_label: str
    label: str
    ticks: tuple[tuple[float, str, int], ...]

    @property
    def band_width(self) -> float:
        return self.p90_x - self.p10_x

    @property
    def inner_width(self) -> float:
        return self.p75_x - self.p25_x

    @property
    def range_width(self) -> float:
        return self.max_x - self.min_x


@attrs.frozen(kw_only=True)
class ResultView:
    result: Mapping[str, Any]
    minimum: str
    midpoint: str
    maximum: str
    market_rate: str
    percentiles: tuple[tuple[str, str], ...]
    chart: Chart | None
    currency: str


def _ticks(marks: list[tuple[float, str]]) -> tuple[tuple[float, str, int], ...]:
    """Each percentile's tick with its label's baseline: a label too close to the previous
    one drops a line, so that P50 and P75 of a narrow market do not print over each other."""
    placed: list[tuple[float, str, int]] = []
    for x, name in marks:
        crowded = bool(placed) and x - placed[-1][0] < 36 and placed[-1][2] == _LABEL_Y
        placed.append((x, name, _LABEL_Y + 14 if crowded else _LABEL_Y))
    return tuple(placed)


def _chart(result: Mapping[str, Any]) -> Chart | None:
    market = result.get("market") or {}
    spread = result.get("range") or {}
    values = [market.get(p) for p in PERCENTILES]
    known = [float(v) for v in values if v is not None]
    ends = [float(spread[k]) for k in ("minimum", "maximum") if spread.get(k) is not None]
    if not known or not ends:
        return None
    low, high = min([*known, *ends]), max([*known, *ends])
    pad = (high - low) * 0.05 or 1.0
    low, high = low - pad, high + pad

    def x(value: float) -> float:
        return round(_LEFT + (value - low) / (high - low) * (_RIGHT - _LEFT), 1)

    def at(name: str, fallback: float) -> float:
        found = market.get(name)
        return x(float(found)) if found is not None else x(fallback)

    target = result.get("target_percentile")
    rate = result.get("market_rate")
    minimum, maximum = float(spread["minimum"]), float(spread["maximum"])
    midpoint = float(spread.get("midpoint") or (minimum + maximum) / 2)
    label = (
        f"Recommended range {amount(minimum)} to {amount(maximum)}, midpoint {amount(midpoint)}, "
        f"drawn over the market from P10 to P90"
        + (f"; target P{target} at {amount(rate)}" if rate is not None else "")
    )
    ticks = _ticks(
        [(x(float(v)), name.upper()) for name, v in zip(PERCENTILES, values, strict=True) if v]
    )
    return Chart(
        p10_x=at("p10", min(known)),
        p90_x=at("p90", max(known)),
        p25_x=at("p25", min(known)),
        p75_x=at("p75", max(known)),
        min_x=x(minimum),
        max_x=x(maximum),
        mid_x=x(midpoint),
        target_x=x(float(rate)) if rate is not None else x(midpoint),
        target_label=f"P{target}" if target is not None else "target",
        label=label,
        ticks=ticks,
    )


def view_result(result: Mapping[str, Any]) -> ResultView:
    spread = result.get("range") or {}
    market = result.get("market") or {}
    return ResultView(
        result=result,
        minimum=amount(spread.get("minimum")),
        midpoint=amount(spread.get("midpoint")),
        maximum=amount(spread.get("maximum")),
        market_rate=amount(result.get("market_rate")),
        percentiles=tuple((p.upper(), amount(market.get(p))) for p in PERCENTILES),
        chart=_chart(result),
        currency=str(result.get("currency", "")),
    )
