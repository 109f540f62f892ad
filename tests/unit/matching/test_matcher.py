"""The title matcher on a small in-memory occupation list: exact names, aliases, levels,
executive titles, qualifiers, look-ups and the values it returns."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pricing_core.errors import InvalidRequest
from pricing_core.levels import Level
from pricing_core.matching import Alias, Candidate, Occupation, TitleMatch, TitleMatcher
from pricing_core.matching.entries import CATCH_ALL, GENERIC

OCCUPATIONS = (
    Occupation(code="15-1250", title="Software and Web Developers, Programmers", detailed=False),
    Occupation(code="15-1252", title="Software Developers"),
    Occupation(code="15-1254", title="Web Developers"),
    Occupation(code="13-2011", title="Accountants and Auditors"),
    Occupation(code="11-2022", title="Sales Managers"),
    Occupation(code="29-1141", title="Registered Nurses"),
    Occupation(code="11-9111", title="Medical and Health Services Managers"),
    Occupation(code="13-1071", title="Human Resources Specialists"),
    Occupation(code="11-3121", title="Human Resources Managers"),
    Occupation(code="17-2199", title="Engineers, All Other"),
)
ALIASES = (
    Alias(text="software engineer", code="15-1252"),
    Alias(text="HR business partner", code="13-1071"),
    Alias(text="HR business partner", code="11-3121"),
    Alias(text="staff nurse", code="29-1141"),
    Alias(text="director of nursing", code="11-9111"),
)
DETAILED = {o.code for o in OCCUPATIONS if o.detailed}


@pytest.fixture(scope="module")
def matcher() -> TitleMatcher:
    return TitleMatcher.build(OCCUPATIONS, ALIASES)


def best(matcher: TitleMatcher, title: str) -> Candidate:
    found = matcher.match(title).best
    assert found is not None, title
    return found


def test_an_alias_matches_exactly_and_says_so(matcher: TitleMatcher) -> None:
    top = best(matcher, "Software Engineer")
    assert (top.job_code, top.title, top.score) == ("15-1252", "Software Developers", 1.0)
    assert top.reason == 'alias "software engineer"'


def test_an_alias_listed_for_two_occupations_prefers_the_first(matcher: TitleMatcher) -> None:
    result = matcher.match("HRBP")
    assert [c.job_code for c in result.candidates[:2]] == ["13-1071", "11-3121"]
    assert result.candidates[0].score == 1.0
    assert result.candidates[1].score < 1.0


@pytest.mark.parametrize("title", ["Registered Nurse", "REGISTERED NURSES", "registered nurses"])
def test_the_official_name_matches_in_any_case_and_number(
    matcher: TitleMatcher, title: str
) -> None:
    top = best(matcher, title)
    assert (top.job_code, top.score, top.reason) == ("29-1141", 1.0, 'title "Registered Nurses"')


def test_one_noun_of_a_listed_name_matches_that_occupation(matcher: TitleMatcher) -> None:
    top = best(matcher, "Auditor")
    assert top.job_code == "13-2011"
    assert top.reason == 'name "Auditors"'
    assert top.score < 1.0


def test_level_words_set_the_level_and_do_not_hurt_the_match(matcher: TitleMatcher) -> None:
    result = matcher.match("Sr. Software Engineer")
    assert result.best is not None
    assert (result.best.job_code, result.best.score) == ("15-1252", 1.0)
    assert (result.level, result.level_word) == (Level.SENIOR, "Sr")


def test_a_level_word_that_is_part_of_an_alias_sets_no_level(matcher: TitleMatcher) -> None:
    result = matcher.match("Staff Nurse")
    assert result.best is not None
    assert result.best.job_code == "29-1141"
    assert (result.level, result.level_word) == (None, None)


@pytest.mark.parametrize("title", ["VP of Sales", "Head of Sales", "Sales Director"])
def test_an_executive_title_reads_as_the_manager_of_its_function(
    matcher: TitleMatcher, title: str
) -> None:
    result = matcher.match(title)
    assert result.best is not None
    assert result.best.job_code == "11-2022"
    assert result.best.reason.startswith('read as "manager sales"')
    assert result.level is None


def test_an_alias_naming_the_executive_title_beats_the_reading(matcher: TitleMatcher) -> None:
    top = best(matcher, "Director of Nursing")
    assert (top.job_code, top.score) == ("11-9111", 1.0)


def test_qualifiers_and_modifiers_count_for_little(matcher: TitleMatcher) -> None:
    top = best(matcher, "Sales Manager, Enterprise - Remote")
    assert top.job_code == "11-2022"
    assert 0.8 < top.score < 1.0
    assert top.reason == 'words manager, sales of title "Sales Managers"'


def test_groups_are_known_but_never_proposed(matcher: TitleMatcher) -> None:
    result = matcher.match("Software and Web Developers, Programmers", limit=10)
    assert {c.job_code for c in result.candidates} <= DETAILED
    group = matcher.occupation("15-1250")
    assert group is not None
    assert not group.detailed


def test_groups_are_recognised_by_code_when_the_list_does_not_mark_them() -> None:
    flat = [Occupation(code=o.code, title=o.title) for o in OCCUPATIONS]
    matcher = TitleMatcher.build(flat, ALIASES)
    found = matcher.match("Software and Web Developers, Programmers", limit=10).candidates
    assert "15-1250" not in {c.job_code for c in found}
    assert "15-1252" in {c.job_code for c in found}


def test_catch_all_and_bare_kind_of_work_names_fit_less_than_a_named_one(
    matcher: TitleMatcher,
) -> None:
    # "Engineers, All Other" is both a catch-all and nothing but a kind of work.
    top = best(matcher, "Engineers")
    assert (top.job_code, top.score) == ("17-2199", round(CATCH_ALL * GENERIC, 4))
    assert best(matcher, "Software Engineers").score == 1.0


def test_limit_caps_the_candidates(matcher: TitleMatcher) -> None:
    assert len(matcher.match("manager", limit=1).candidates) == 1
    assert len(matcher.match("manager", limit=3).candidates) == 3
    with pytest.raises(InvalidRequest) as raised:
        matcher.match("manager", limit=0)
    assert raised.value.field == "limit"


@pytest.mark.parametrize("title", ["", "   ", "\t\n"])
def test_a_blank_title_is_an_invalid_request(matcher: TitleMatcher, title: str) -> None:
    with pytest.raises(InvalidRequest) as raised:
        matcher.match(title)
    assert (raised.value.field, raised.value.problem) == ("title", "must not be empty")


def test_words_no_name_has_match_nothing(matcher: TitleMatcher) -> None:
    result = matcher.match("zzzz qqqq")
    assert (result.candidates, result.level, result.title) == ((), None, "zzzz qqqq")


def test_occupation_looks_up_by_code(matcher: TitleMatcher) -> None:
    assert matcher.occupation("29-1141") == OCCUPATIONS[5]
    assert matcher.occupation("99-9999") is None


def test_search_by_code_prefix_or_by_name(matcher: TitleMatcher) -> None:
    codes = [o.code for o in matcher.search_occupations("15-125")]
    assert codes == ["15-1250", "15-1252", "15-1254"]
    assert [o.code for o in matcher.search_occupations("151252")] == ["15-1252"]
    assert matcher.search_occupations("nurses")[0].code == "29-1141"
    assert matcher.search_occupations("human resources", limit=1)[0].code in {"13-1071", "11-3121"}
    assert matcher.search_occupations("  ") == ()


def test_an_alias_of_an_occupation_the_source_lacks_is_left_out() -> None:
    matcher = TitleMatcher.build(OCCUPATIONS, [Alias(text="widget wrangler", code="99-9999")])
    assert all(c.job_code != "99-9999" for c in matcher.match("widget wrangler").candidates)


@pytest.mark.parametrize(
    "make",
    [
        lambda: Occupation(code="151252", title="Software Developers"),
        lambda: Occupation(code="15-1252", title="  "),
        lambda: Alias(text="", code="15-1252"),
        lambda: Candidate(job_code="15-1252", title="Software Developers", score=1.5, reason="x"),
        lambda: Candidate(job_code="15-1252", title="Software Developers", score=0.5, reason=""),
        lambda: TitleMatch(title="x", candidates=(), level=Level.SENIOR, level_word=None),
    ],
)
def test_values_validate_on_construction(make: object) -> None:
    with pytest.raises(ValueError):
        make()  # type: ignore[operator]


def test_a_title_match_keeps_its_candidates_sorted_and_distinct() -> None:
    low = Candidate(job_code="15-1252", title="Software Developers", score=0.4, reason="x")
    high = Candidate(job_code="15-1254", title="Web Developers", score=0.9, reason="y")
    assert TitleMatch(title="x", candidates=[high, low]).best == high
    with pytest.raises(ValueError, match="descending"):
        TitleMatch(title="x", candidates=[low, high])
    with pytest.raises(ValueError, match="repeat"):
        TitleMatch(title="x", candidates=[high, high])


@given(st.text(max_size=40), st.integers(min_value=1, max_value=8))
def test_any_title_gives_sorted_scores_in_the_unit_interval_or_a_blank_error(
    title: str, limit: int
) -> None:
    matcher = TitleMatcher.build(OCCUPATIONS, ALIASES)
    if not title.strip():
        with pytest.raises(InvalidRequest):
            matcher.match(title, limit)
        return
    result = matcher.match(title, limit)
    scores = [c.score for c in result.candidates]
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores == sorted(scores, reverse=True)
    assert len(scores) <= limit
    assert {c.job_code for c in result.candidates} <= DETAILED
    assert matcher.match(title, limit) == result
