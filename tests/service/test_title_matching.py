"""Title matching on the shipped OEWS occupations and the project's aliases: pinned titles
from every sector, the alias file's integrity, the level rules, speed and robustness."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pricing_adapters.title_aliases import load_aliases, load_occupations
from pricing_core.errors import InvalidRequest
from pricing_core.levels import Level
from pricing_core.matching import TitleMatcher
from pricing_core.matching.entries import kinds_of
from pricing_core.matching.rules import tokenise

DEV_SET = Path(__file__).resolve().parents[1] / "data" / "job_titles_dev.csv"


@pytest.fixture(scope="module")
def matcher() -> TitleMatcher:
    return TitleMatcher.build(load_occupations(), load_aliases())


def test_the_occupation_list_is_the_oews_list_in_soc_form() -> None:
    occupations = load_occupations()
    assert len(occupations) == 1104
    assert sum(o.detailed for o in occupations) == 830
    assert len({o.code for o in occupations}) == 1104
    by_code = {o.code: o.title for o in occupations}
    assert by_code["15-1252"] == "Software Developers"
    assert by_code["00-0000"] == "All Occupations"


def test_every_alias_names_a_detailed_occupation_once() -> None:
    detailed = {o.code for o in load_occupations() if o.detailed}
    aliases = load_aliases()
    assert len(aliases) >= 500
    assert [a for a in aliases if a.code not in detailed] == []
    # The same words listed twice for one occupation would be dead weight.
    same = Counter((frozenset(kinds_of(tokenise(a.text))), a.code) for a in aliases)
    assert [key for key, count in same.items() if count > 1] == []


@pytest.mark.parametrize(
    ("title", "code"),
    [
        # technology
        ("Sr. Software Engineer", "15-1252"),
        ("Software Engineer - Backend", "15-1252"),
        ("Backend Developer", "15-1252"),
        ("SWE II", "15-1252"),
        ("DevOps Engineer", "15-1252"),
        ("Site Reliability Engineer", "15-1252"),
        ("Frontend Developer (React)", "15-1254"),
        ("Data Scientist", "15-2051"),
        ("Data Engineer", "15-1243"),
        ("QA Engineer", "15-1253"),
        ("UX Designer", "15-1255"),
        ("IT Support Specialist", "15-1232"),
        ("CTO", "11-1011"),
        # finance
        ("Accountant (CPA)", "13-2011"),
        ("Controller", "11-3031"),
        ("FP&A Analyst", "13-2051"),
        ("Accounts Payable Clerk", "43-3031"),
        # human resources
        ("Compensation Analyst", "13-1141"),
        ("Payroll & Benefits Specialist", "13-1141"),
        ("Technical Recruiter", "13-1071"),
        ("HR Business Partner", "13-1071"),
        ("HRBP", "13-1071"),
        ("Head of People", "11-3121"),
        # sales and marketing
        ("Account Executive", "41-3091"),
        ("SDR", "41-3091"),
        ("Customer Success Manager", "41-3091"),
        ("Sales Manager, EMEA", "11-2022"),
        ("VP Sales", "11-2022"),
        ("Marketing Manager", "11-2021"),
        ("SEO Specialist", "13-1161"),
        # healthcare
        ("registered nurses", "29-1141"),
        ("RN - ICU", "29-1141"),
        ("LPN", "29-2061"),
        ("Certified Nursing Assistant", "31-1131"),
        ("Nurse Practitioner", "29-1171"),
        ("Pharmacy Technician", "29-2052"),
        ("Director of Nursing", "11-9111"),
        # retail, hospitality, office
        ("Retail Sales Associate", "41-2031"),
        ("Store Manager", "41-1011"),
        ("Line Cook", "35-2014"),
        ("Front Desk Agent", "43-4081"),
        ("EA to the CEO", "43-6011"),
        ("Customer Service Representative", "43-4051"),
        # manufacturing, logistics, trades
        ("CNC Machinist - 2nd Shift", "51-4041"),
        ("Welder/Fabricator", "51-4121"),
        ("Forklift Operator", "53-7051"),
        ("CDL Class A Driver", "53-3032"),
        ("Journeyman Electrician", "47-2111"),
        ("HVAC Technician", "49-9021"),
        # education, legal, public sector
        ("Elementary School Teacher", "25-2021"),
        ("Assistant Professor of Biology", "25-1042"),
        ("School Principal", "11-9032"),
        ("Paralegal", "23-2011"),
        ("Corporate Counsel", "23-1011"),
        ("Police Officer", "33-3051"),
        ("Firefighter", "33-2011"),
        # executives
        ("Chief Executive Officer", "11-1011"),
        ("General Manager", "11-1021"),
    ],
)
def test_pinned_titles(matcher: TitleMatcher, title: str, code: str) -> None:
    result = matcher.match(title)
    assert result.best is not None, title
    assert result.best.job_code == code, (title, result.candidates[:3])


def test_hr_business_partner_offers_both_usual_occupations(matcher: TitleMatcher) -> None:
    codes = [c.job_code for c in matcher.match("HR Business Partner", limit=3).candidates]
    assert codes[:2] == ["13-1071", "11-3121"]


@pytest.mark.parametrize(
    ("title", "level", "word"),
    [
        ("Sr. Software Engineer", Level.SENIOR, "Sr"),
        ("Jr Accountant", Level.JUNIOR, "Jr"),
        ("Software Engineer II", Level.INTERMEDIATE, "II"),
        ("Staff Software Engineer", Level.EXPERT, "Staff"),
        ("Principal Data Scientist", Level.EXPERT, "Principal"),
        ("Lead Line Cook", Level.SENIOR, "Lead"),
        ("Staff Nurse", None, None),
        ("Staff Accountant", None, None),
        ("VP of Engineering", None, None),
        ("Chief Financial Officer", None, None),
    ],
)
def test_levels_on_real_titles(
    matcher: TitleMatcher, title: str, level: Level | None, word: str | None
) -> None:
    result = matcher.match(title)
    assert (result.level, result.level_word) == (level, word)


def test_the_dev_set_meets_its_accuracy_targets(matcher: TitleMatcher) -> None:
    with DEV_SET.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 120
    top1 = top3 = 0
    for row in rows:
        codes = [c.job_code for c in matcher.match(row["title"], limit=3).candidates]
        top1 += codes[:1] == [row["soc_code"]]
        top3 += row["soc_code"] in codes
    assert top1 / len(rows) >= 0.95
    assert top3 / len(rows) >= 0.98


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_any_text_gives_sorted_unit_scores_deterministically(
    matcher: TitleMatcher, title: str
) -> None:
    if not title.strip():
        with pytest.raises(InvalidRequest):
            matcher.match(title)
        return
    result = matcher.match(title)
    scores = [c.score for c in result.candidates]
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores == sorted(scores, reverse=True)
    assert matcher.match(title) == result
    for candidate in result.candidates:
        occupation = matcher.occupation(candidate.job_code)
        assert occupation is not None
        assert occupation.detailed


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            "Sr. Senior Jr II III Lead Principal Staff Head of VP Director Chief Manager "
            "Engineer Nurse Sales & , - ( ) / Software Data HR RN CPA Remote EMEA".split()
        ),
        min_size=1,
        max_size=8,
    )
)
def test_title_like_word_salad_never_fails(matcher: TitleMatcher, words: list[str]) -> None:
    result = matcher.match(" ".join(words))
    scores = [c.score for c in result.candidates]
    assert scores == sorted(scores, reverse=True)
    assert (result.level is None) == (result.level_word is None)
