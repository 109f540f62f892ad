"""Finding an area by its code or by (part of) its name (places.py)."""

from __future__ import annotations

import pytest

from pricing_core.errors import UnknownArea
from pricing_core.places import resolve_area, search_areas


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("0041940", "0041940"),
        (" 0041940 ", "0041940"),
        ("SG", "SG"),
        ("California", "0600000"),  # the exact name wins over names that contain it
        ("california", "0600000"),
        ("San Jose", "0041940"),
        ("san-jose", "0041940"),
        ("sunnyvale", "0041940"),
        ("Portland, ME", "0038860"),
        ("U.S.", "0000000"),
        ("lexington", "0015680"),
    ],
)
def test_resolve_area_by_code_or_name(places, text, code) -> None:
    assert resolve_area(places, text).code == code


def test_an_ambiguous_name_lists_every_candidate(places) -> None:
    with pytest.raises(UnknownArea) as caught:
        resolve_area(places, "Portland")
    assert caught.value.candidates == (
        ("0038860", "Portland-South Portland, ME"),
        ("0038900", "Portland-Vancouver-Hillsboro, OR-WA"),
    )
    assert caught.value.details["candidates"] == [
        {"code": "0038860", "name": "Portland-South Portland, ME"},
        {"code": "0038900", "name": "Portland-Vancouver-Hillsboro, OR-WA"},
    ]
    assert "0038860 Portland-South Portland, ME" in str(caught.value)
    assert caught.value.as_dict()["code"] == "unknown_area"


def test_words_are_matched_by_prefix(places) -> None:
    with pytest.raises(UnknownArea) as caught:
        resolve_area(places, "San")
    assert {code for code, _ in caught.value.candidates} == {"0041860", "0041940"}


@pytest.mark.parametrize("text", ["Atlantis", "9999999", "", "   ", "--"])
def test_an_unknown_area_has_no_candidates(places, text) -> None:
    with pytest.raises(UnknownArea) as caught:
        resolve_area(places, text)
    assert caught.value.candidates == ()
    assert caught.value.details["area"] == text


def test_search_puts_exact_names_first_then_by_name(places) -> None:
    found = [a.code for a in search_areas(places, "california")]
    assert found == ["0600000", "0015680", "0600004"]


def test_search_puts_the_exact_code_first(places) -> None:
    assert [a.code for a in search_areas(places, "SG")] == ["SG"]
    assert search_areas(places, "0600000")[0].code == "0600000"


def test_search_needs_every_word(places) -> None:
    assert [a.code for a in search_areas(places, "san fran")] == ["0041860"]
    assert search_areas(places, "san oregon") == []


def test_search_limit_and_empty_text(places) -> None:
    assert len(search_areas(places, "ca", limit=2)) == 2
    assert len(search_areas(places, "ca")) == 5
    assert search_areas(places, "") == []
    assert search_areas(places, "!!") == []
