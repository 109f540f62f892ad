"""The priced result as the pages draw it: amounts like 189,400 and the range chart's
geometry (range bar over the market band, the target marked where the market rate is)."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from pricing_api.pages.result_view import amount, view_result


def _result(p: list[float | None], minimum: float, maximum: float, rate: float) -> dict[str, Any]:
    return {
        "currency": "USD",
        "target_percentile": 50,
        "market": dict(zip(("p10", "p25", "p50", "p75", "p90"), p, strict=True)),
        "market_rate": rate,
        "range": {"minimum": minimum, "midpoint": (minimum + maximum) / 2, "maximum": maximum},
    }


def test_amounts_are_whole_units_with_thousands_separators() -> None:
    assert amount(189400) == "189,400"
    assert amount(175162.98) == "175,163"
    assert amount(None) == "—"


def test_the_chart_places_the_range_inside_the_market_and_marks_the_target() -> None:
    view = view_result(_result([100e3, 130e3, 160e3, 200e3, 250e3], 130e3, 190e3, 160e3))
    chart = view.chart
    assert chart is not None
    assert (view.minimum, view.midpoint, view.maximum) == ("130,000", "160,000", "190,000")
    assert chart.p10_x < chart.p25_x <= chart.min_x < chart.mid_x < chart.max_x < chart.p90_x
    assert chart.target_x == chart.mid_x  # the market rate is the midpoint here
    assert chart.label.startswith("Recommended range 130,000 to 190,000")
    assert "P10 to P90" in chart.label


def test_a_top_coded_percentile_leaves_its_tick_out_and_crowded_labels_drop_a_line() -> None:
    view = view_result(_result([100e3, 150e3, 160e3, 161e3, None], 130e3, 190e3, 160e3))
    chart = view.chart
    assert chart is not None
    assert [name for _, name, _ in chart.ticks] == ["P10", "P25", "P50", "P75"]
    baselines = {name: y for _, name, y in chart.ticks}
    assert baselines["P75"] > baselines["P50"]  # 1,000 apart: printed on the next line
    assert dict(view.percentiles)["P90"] == "—"


@given(
    low=st.floats(min_value=1e4, max_value=5e5),
    widths=st.lists(st.floats(min_value=0, max_value=1e5), min_size=4, max_size=4),
    spread=st.floats(min_value=0.05, max_value=1.0),
)
def test_every_mark_stays_inside_the_drawing(
    low: float, widths: list[float], spread: float
) -> None:
    p = [low]
    for width in widths:
        p.append(p[-1] + width)
    rate = p[2]
    result = _result(list(p), rate / (1 + spread / 2), rate * (1 + spread / 2), rate)
    chart = view_result(result).chart
    assert chart is not None
    for x in (chart.p10_x, chart.p90_x, chart.min_x, chart.max_x, chart.target_x):
        assert 0 <= x <= 640
    assert chart.range_width >= 0
    assert chart.band_width >= 0
