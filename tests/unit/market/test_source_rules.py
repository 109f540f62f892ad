"""A source's name rule and the rule that a source keeps the kind it was created with."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pricing_core.errors import InvalidRequest, SourceKindConflict
from pricing_core.market.model import Source, SourceKind
from pricing_core.market.rules import MAX_SOURCE_NAME, check_kind_kept, check_source_name

ALLOWED = string.ascii_lowercase + string.digits + "._-"


@given(st.text(alphabet=ALLOWED, min_size=1, max_size=MAX_SOURCE_NAME))
def test_every_name_of_allowed_characters_and_length_is_taken(name: str) -> None:
    assert check_source_name(name) == name


@given(
    st.text(alphabet=ALLOWED, max_size=20),
    st.characters().filter(lambda ch: ch not in ALLOWED),
    st.text(alphabet=ALLOWED, max_size=20),
)
def test_one_other_character_anywhere_is_refused_naming_the_field(
    before: str, other: str, after: str
) -> None:
    with pytest.raises(InvalidRequest) as caught:
        check_source_name(before + other + after)
    assert caught.value.field == "source"
    assert "lower-case letters" in caught.value.problem


@given(st.text(alphabet=ALLOWED, min_size=MAX_SOURCE_NAME + 1, max_size=MAX_SOURCE_NAME + 40))
def test_a_name_longer_than_64_characters_is_refused(name: str) -> None:
    with pytest.raises(InvalidRequest) as caught:
        check_source_name(name)
    assert (caught.value.field, caught.value.problem) == (
        "source",
        f"at most 64 characters, got {len(name)}",
    )


@pytest.mark.parametrize("name", ["", "OEWS-2025", "mercer 2025", "a/b", "ü", "x\n"])
def test_examples_that_are_refused(name: str) -> None:
    with pytest.raises(InvalidRequest):
        check_source_name(name)


@pytest.mark.parametrize("name", ["oews-2025", "mercer_2025.q4", "a", "x" * 64])
def test_examples_that_are_taken(name: str) -> None:
    assert check_source_name(name) == name


@given(st.sampled_from(SourceKind), st.sampled_from(SourceKind))
def test_a_source_keeps_its_kind(stored: SourceKind, incoming: SourceKind) -> None:
    existing = Source(name="s", kind=stored)
    if stored is incoming:
        check_kind_kept(existing, Source(name="s", kind=incoming))
        return
    with pytest.raises(SourceKindConflict) as caught:
        check_kind_kept(existing, Source(name="s", kind=incoming))
    assert caught.value.code == "source_kind_conflict"
    assert caught.value.details == {"source": "s", "kind": str(stored), "attempted": str(incoming)}


def test_a_new_source_takes_any_kind() -> None:
    for kind in SourceKind:
        check_kind_kept(None, Source(name="s", kind=kind))
