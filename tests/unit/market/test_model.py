"""Market data values: job codes, percentile states, cuts, areas and sources."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from pricing_core.market.model import (
    ALL_INDUSTRIES,
    ALL_OCCUPATIONS,
    PERCENTILES,
    Area,
    AreaKind,
    Cut,
    MissingReason,
    Percentile,
    PercentileKind,
    Source,
    SourceKind,
    normalise_job_code,
)


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("151252", "15-1252"),
        ("15-1252", "15-1252"),
        (" 151252 ", "15-1252"),
        ("000000", "00-0000"),
        ("ENG-SWE-P3", "ENG-SWE-P3"),
        ("1512", "1512"),
        ("1512520", "1512520"),
        ("15125a", "15125a"),
    ],
)
def test_job_codes_in_soc_form(given, shown) -> None:
    assert normalise_job_code(given) == shown


def test_constants() -> None:
    assert PERCENTILES == (10, 25, 50, 75, 90)
    assert (ALL_OCCUPATIONS, ALL_INDUSTRIES) == ("00-0000", "000000")


def test_percentile_states() -> None:
    value = Percentile.of("1.5")
    assert (value.kind, value.value, value.usable) == (PercentileKind.VALUE, D("1.5"), True)
    bound = Percentile.top_coded(D(239200))
    assert (bound.kind, bound.value, bound.usable) == (PercentileKind.LOWER_BOUND, D(239200), True)
    assert Percentile.top_coded().usable
    for reason in MissingReason:
        missing = Percentile.missing(reason)
        assert (missing.usable, missing.reason) == (False, reason)


@pytest.mark.parametrize("value", [0, -1, "-0.01"])
def test_a_value_must_be_positive(value) -> None:
    with pytest.raises(ValueError, match="positive"):
        Percentile.of(value)


def test_a_value_needs_a_value() -> None:
    with pytest.raises(ValueError, match="positive"):
        Percentile(kind=PercentileKind.VALUE)


def test_missing_needs_a_reason_and_only_missing_has_one() -> None:
    with pytest.raises(ValueError, match="reason"):
        Percentile(kind=PercentileKind.MISSING)
    with pytest.raises(ValueError, match="reason"):
        Percentile(kind=PercentileKind.VALUE, value=D(1), reason=MissingReason.SUPPRESSED)
    with pytest.raises(ValueError, match="reason"):
        Percentile(kind=PercentileKind.LOWER_BOUND, reason=MissingReason.HOURLY_ONLY)


def _percentiles(keys: tuple[int, ...] = PERCENTILES) -> dict[int, Percentile]:
    return {p: Percentile.of(p * 1000) for p in keys}


def test_cut_defaults_and_job_code_form() -> None:
    cut = Cut(
        source="oews-2025",
        version="2025A01",
        job_code="151252",
        area_code="0000000",
        effective_date=date(2025, 5, 12),
        percentiles=_percentiles(),
    )
    assert cut.job_code == "15-1252"
    assert (cut.industry_code, cut.currency) == ("000000", "USD")
    assert (cut.employment, cut.organizations, cut.wage_rse) == (None, None, None)


@pytest.mark.parametrize("keys", [(10, 25, 50, 75), (10, 25, 50, 75, 90, 95), (10, 20, 50, 75, 90)])
def test_a_cut_has_exactly_the_five_percentiles(keys) -> None:
    with pytest.raises(ValueError, match="exactly the percentiles"):
        Cut(
            source="s",
            version="v",
            job_code="x",
            area_code="a",
            effective_date=date(2025, 5, 12),
            percentiles=_percentiles(keys),
        )


def test_area_kind_and_code() -> None:
    area = Area(code="0041940", name="San Jose", kind="metro", parent="0600000")
    assert area.kind is AreaKind.METRO
    assert Area(code="0000000", name="U.S.", kind="national").parent is None
    with pytest.raises(ValueError):
        Area(code="X", name="x", kind="county")
    with pytest.raises(ValueError):
        Area(code="", name="nowhere", kind="state")


def test_source_kind_and_name() -> None:
    assert Source(name="oews-2025").kind is SourceKind.PUBLIC
    assert Source(name="mercer-2025", kind="survey").kind is SourceKind.SURVEY
    assert Source(name="oews-2025").active_version is None
    with pytest.raises(ValueError):
        Source(name="")
    with pytest.raises(ValueError):
        Source(name="x", kind="purchased")
