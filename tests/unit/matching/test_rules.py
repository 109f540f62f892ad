"""Title normalisation: case, accents, punctuation, abbreviations, plurals, qualifiers, levels."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pricing_core.levels import Level
from pricing_core.matching.rules import Kind, content, head, normalise, singular, tokenise
from pricing_core.matching.seniority import find_level, level_positions


def texts(title: str, *kinds: Kind) -> list[str]:
    wanted = kinds or (Kind.WORD,)
    return [t.text for t in tokenise(title) if t.kind in wanted]


@pytest.mark.parametrize(
    ("plural", "single"),
    [
        ("nurses", "nurse"),
        ("analysts", "analyst"),
        ("secretaries", "secretary"),
        ("coaches", "coach"),
        ("boxes", "box"),
        ("waitresses", "waitress"),
        ("attorneys", "attorney"),
        ("sales", "sales"),
        ("business", "business"),
        ("analysis", "analysis"),
        ("bus", "bus"),
        ("boss", "boss"),
        ("news", "news"),
    ],
)
def test_singular_undoes_plurals_and_leaves_other_words(plural: str, single: str) -> None:
    assert singular(plural) == single


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", max_size=12))
def test_singular_is_idempotent(word: str) -> None:
    once = singular(word)
    assert singular(once) == once
    assert word.startswith(once[:-1] if once else "")


def test_case_accents_and_plurals_fold_to_the_same_tokens() -> None:
    assert texts("REGISTERED NURSES") == texts("registered nurse") == ["registered", "nurse"]
    assert texts("Café Manager") == ["cafe", "manager"]


def test_ampersands_read_as_and_and_short_compounds_stay_one_word() -> None:
    assert texts("Payroll & Benefits Specialist") == ["payroll", "benefit", "specialist"]
    assert texts("FP&A Analyst") == ["financial", "planning", "analysis", "analyst"]
    assert texts("R&D Engineer") == ["research", "development", "engineer"]


@pytest.mark.parametrize(
    ("typed", "spelled"),
    [
        ("HRBP", ["human", "resource", "business", "partner"]),
        ("SWE", ["software", "engineer"]),
        ("Sr. Mgr", ["sr", "manager"]),
        ("C.N.A.", ["certified", "nurse", "assistant"]),
        ("C++ Dev", ["cpp", "developer"]),
        ("Sheriff's Deputy", ["sheriff", "deputy"]),
        ("Front-End Engineer", ["frontend", "engineer"]),
        ("Physical Therapy Aide", ["physical", "therapist", "aide"]),
    ],
)
def test_abbreviations_and_spellings_are_spelled_out(typed: str, spelled: list[str]) -> None:
    assert [t.text for t in tokenise(typed) if t.kind is not Kind.STOP] == spelled


def test_words_after_a_dash_comma_or_bracket_are_qualifiers() -> None:
    tokens = tokenise("Data Analyst - Marketing")
    assert [(t.text, t.kind) for t in tokens] == [
        ("data", Kind.WORD),
        ("analyst", Kind.WORD),
        ("marketing", Kind.QUALIFIER),
    ]
    assert texts("Sales Manager, Enterprise", Kind.QUALIFIER) == ["enterprise"]
    assert texts("Accountant (Tax)", Kind.QUALIFIER) == ["tax"]
    # A hyphen inside a word joins, it does not part.
    assert texts("Mid-Level Designer", Kind.WORD, Kind.MODIFIER) == ["mid", "level", "designer"]


def test_a_slash_parts_two_titles_but_not_a_shared_head() -> None:
    assert texts("Cashier/Stocker") == ["cashier"]
    assert texts("Cashier/Stocker", Kind.QUALIFIER) == ["stocker"]
    assert texts("Office Manager / Bookkeeper") == ["office", "manager"]
    assert texts("UI/UX Designer") == ["user", "interface", "user", "experience", "designer"]
    assert texts("Sales/Marketing Manager") == ["sales", "marketing", "manager"]


def test_modifiers_and_credentials_are_marked_and_dropped_from_content_if_words_remain() -> None:
    tokens = tokenise("Accountant (CPA) - Remote")
    assert {t.text: t.kind for t in tokens}["remote"] is Kind.MODIFIER
    assert {t.text: t.kind for t in tokens}["certified"] is Kind.CREDENTIAL
    assert [t.text for t in content(tokens)] == ["accountant"]
    # With nothing else left, the credential is the job.
    assert [t.text for t in content(tokenise("RN - ICU"))] == ["registered", "nurse"]


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Senior Software Engineer", "engineer"),
        ("Software Engineer - Backend", "engineer"),
        ("Director of Finance", "director"),
        ("Engineer, Software", "engineer"),
        ("RN", "nurse"),
    ],
)
def test_the_head_noun_is_the_last_word_of_the_title_proper(title: str, expected: str) -> None:
    assert head(tokenise(title)) == expected


@pytest.mark.parametrize(
    ("title", "level", "word"),
    [
        ("Junior Developer", Level.JUNIOR, "Junior"),
        ("Jr. Accountant", Level.JUNIOR, "Jr"),
        ("Entry-Level Analyst", Level.JUNIOR, "Entry Level"),
        ("Associate Product Manager", Level.JUNIOR, "Associate"),
        ("Electrician Apprentice", Level.JUNIOR, "Apprentice"),
        ("Software Engineering Intern", Level.JUNIOR, "Intern"),
        ("Analyst I", Level.JUNIOR, "I"),
        ("Engineer II", Level.INTERMEDIATE, "II"),
        ("Designer 2", Level.INTERMEDIATE, "2"),
        ("Mid-Level Designer", Level.INTERMEDIATE, "Mid Level"),
        ("Journeyman Electrician", Level.INTERMEDIATE, "Journeyman"),
        ("Associate Professor of Economics", Level.INTERMEDIATE, "Associate"),
        ("Sr. Software Engineer", Level.SENIOR, "Sr"),
        ("Senior Accountant", Level.SENIOR, "Senior"),
        ("Lead Data Scientist", Level.SENIOR, "Lead"),
        ("SWE III", Level.SENIOR, "III"),
        ("Level 3 Support Technician", Level.SENIOR, "Level 3"),
        ("Principal Engineer", Level.EXPERT, "Principal"),
        ("Staff Software Engineer", Level.EXPERT, "Staff"),
        ("Distinguished Engineer", Level.EXPERT, "Distinguished"),
        ("Engineer IV", Level.EXPERT, "IV"),
        ("Master Electrician", Level.EXPERT, "Master"),
        ("Senior Staff Engineer", Level.EXPERT, "Staff"),
    ],
)
def test_level_words(title: str, level: Level, word: str) -> None:
    hit = find_level(tokenise(title))
    assert hit is not None
    assert (hit.level, hit.word) == (level, word)


@pytest.mark.parametrize(
    "title",
    [
        "Sales Associate",
        "Staff Accountant",
        "Staff Nurse",
        "Principal",
        "Assistant Principal",
        "Principal, Elementary School",
        "Lead Generation Specialist",
        "Scrum Master",
        "Senior Care Aide",
        "3rd Grade Teacher",
        "911 Dispatcher",
        "VP of Engineering",
        "Chief Financial Officer",
        "Head of People",
        "Director of Marketing",
        "Associate Director of Marketing",
    ],
)
def test_words_that_only_look_like_levels_set_none(title: str) -> None:
    assert find_level(tokenise(title)) is None
    assert not level_positions(tokenise(title))


@given(st.text(max_size=60))
def test_tokenising_any_text_keeps_the_words_as_typed(text: str) -> None:
    normalised = normalise(text)
    for token in tokenise(text):
        assert token.text == token.text.casefold() or not token.text.isascii()
        for piece in token.raw.split(" "):
            assert piece in normalised
    hit = find_level(tokenise(text))
    if hit is not None:
        assert all(re.search(re.escape(p), normalised) for p in hit.word.split(" "))
