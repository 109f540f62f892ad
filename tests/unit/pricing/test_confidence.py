"""Step 8: confidence deductions per cut, the weighted score, the label and the reasons."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal as D

import attrs
import pytest

from pricing_core.pricing.confidence import confidence, cut_deductions, label_for
from pricing_core.pricing.model import Contribution, Deduction
from pricing_core.pricing.policy import Quality


def _points(
    *,
    notes: tuple[str, ...] = (),
    quality: Quality = Quality.EXACT,
    wage_rse: D | None = None,
    days: int = 0,
    top_coded: bool = False,
) -> int:
    deductions = cut_deductions(
        notes=notes, quality=quality, wage_rse=wage_rse, days=days, top_coded=top_coded
    )
    return sum(d.points for d in deductions)


@pytest.mark.parametrize(
    ("notes", "points"),
    [
        ((), 0),
        (("geo_fallback_state",), 10),
        (("geo_fallback_national",), 20),
        (("industry_fallback",), 5),
        (("geo_fallback_national", "industry_fallback"), 25),
        (("gd_unknown",), 0),
    ],
)
def test_fallback_deductions(notes, points) -> None:
    assert _points(notes=notes) == points


@pytest.mark.parametrize(
    ("quality", "points"), [(Quality.EXACT, 0), (Quality.CLOSE, 10), (Quality.PARTIAL, 25)]
)
def test_quality_deductions(quality, points) -> None:
    assert _points(quality=quality) == points


@pytest.mark.parametrize(
    ("rse", "points"),
    [(None, 0), ("5", 0), ("10", 0), ("10.1", 10), ("20", 10), ("20.01", 20), ("45", 20)],
)
def test_wage_rse_deductions(rse, points) -> None:
    assert _points(wage_rse=None if rse is None else D(rse)) == points


@pytest.mark.parametrize(
    ("days", "points"),
    [
        (0, 0),
        (365, 0),
        (730, 0),  # 1.998 years: one whole year, none beyond the first
        (731, 5),  # 2.001 years
        (1095, 5),
        (1096, 10),
        (1827, 20),  # 5.002 years
        (-731, 5),  # |days|: data newer than the pricing date too
        (-1096, 10),
    ],
)
def test_five_points_per_whole_year_beyond_the_first(days, points) -> None:
    assert _points(days=days) == points


def test_top_coded_deduction() -> None:
    assert _points(top_coded=True) == 10


def test_every_deduction_is_listed_with_its_scope() -> None:
    found = cut_deductions(
        notes=("geo_fallback_state", "industry_fallback"),
        quality=Quality.PARTIAL,
        wage_rse=D(25),
        days=1100,
        top_coded=True,
        scope="oews-2025 15-1252",
    )
    assert [d.points for d in found] == [10, 5, 25, 20, 10, 10]
    assert all(d.scope == "oews-2025 15-1252" for d in found)
    assert found[0].describe() == "oews-2025 15-1252: geo fallback to state: -10"


@pytest.mark.parametrize(
    ("score", "label"),
    [(100, "high"), (80, "high"), (79, "medium"), (50, "medium"), (49, "low"), (0, "low")],
)
def test_labels(score, label) -> None:
    assert label_for(score) == label


def _scored(
    contrib: Callable[..., Contribution],
    score: int,
    weight: str = "1",
    source: str = "oews-2025",
    deductions: tuple[Deduction, ...] = (),
) -> Contribution:
    return attrs.evolve(contrib({50: 1}, weight, source=source), score=score, deductions=deductions)


def test_single_source_loses_ten_points(contrib) -> None:
    result = confidence([_scored(contrib, 100)])
    assert result.score == 90
    assert result.label == "high"
    assert result.reasons == ("single source: -10",)


def test_two_matches_of_one_source_are_still_a_single_source(contrib) -> None:
    assert confidence([_scored(contrib, 100), _scored(contrib, 80)]).score == 80


def test_two_sources_are_weight_averaged_without_the_single_source_deduction(contrib) -> None:
    # (1 x 100 + 0.75 x 90) / 1.75 = 95.71 → 96
    result = confidence(
        [_scored(contrib, 100), _scored(contrib, 90, weight="0.75", source="mercer-2025")]
    )
    assert result.score == 96
    assert result.reasons == ()


def test_score_is_rounded_half_up(contrib) -> None:
    # 85.5 → 86 and 84.5 → 85 (half even would give 84)
    assert confidence([_scored(contrib, 85), _scored(contrib, 86, source="b")]).score == 86
    assert confidence([_scored(contrib, 84), _scored(contrib, 85, source="b")]).score == 85


@pytest.mark.parametrize(
    ("score", "second_source", "expected"),
    [(-60, "b", 0), (5, None, 0), (130, "b", 100), (115, None, 100)],
)
def test_score_is_clamped(contrib, score, second_source, expected) -> None:
    items = [_scored(contrib, score)]
    if second_source:
        items.append(_scored(contrib, score, source=second_source))
    assert confidence(items).score == expected


def test_reasons_list_every_deduction_then_the_single_source(contrib) -> None:
    deductions = (Deduction(points=10, reason="close match"), Deduction(points=5, reason="x"))
    result = confidence([_scored(contrib, 85, deductions=deductions)])
    assert result.reasons == ("close match: -10", "x: -5", "single source: -10")
    assert result.score == 75
    assert result.label == "medium"
