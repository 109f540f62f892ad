"""The level a title's words imply: grade words, numerals and the contexts that cancel them."""

from __future__ import annotations

import attrs

from pricing_core.levels import Level
from pricing_core.matching.rules import Kind, Token

__all__ = ["LevelHit", "find_level", "level_positions"]

_PLAIN: dict[str, Level] = {
    "junior": Level.JUNIOR,
    "jr": Level.JUNIOR,
    "trainee": Level.JUNIOR,
    "intern": Level.JUNIOR,
    "internship": Level.JUNIOR,
    "apprentice": Level.JUNIOR,
    "intermediate": Level.INTERMEDIATE,
    "journeyman": Level.INTERMEDIATE,
    "journeyperson": Level.INTERMEDIATE,
    "journeyworker": Level.INTERMEDIATE,
    "senior": Level.SENIOR,
    "sr": Level.SENIOR,
    "snr": Level.SENIOR,
    "lead": Level.SENIOR,
    "distinguished": Level.EXPERT,
}
# Words that are a level only with "level" after them, which goes with them.
_WITH_LEVEL: dict[str, Level] = {
    "entry": Level.JUNIOR,
    "mid": Level.INTERMEDIATE,
    "journey": Level.INTERMEDIATE,
}
_NUMERALS: dict[str, Level] = {
    "i": Level.JUNIOR,
    "1": Level.JUNIOR,
    "ii": Level.INTERMEDIATE,
    "2": Level.INTERMEDIATE,
    "iii": Level.SENIOR,
    "3": Level.SENIOR,
    "iv": Level.EXPERT,
    "4": Level.EXPERT,
    "v": Level.EXPERT,
    "5": Level.EXPERT,
}
_PREFIX_ONLY: dict[str, Level] = {
    "associate": Level.JUNIOR,
    "graduate": Level.JUNIOR,
    "master": Level.EXPERT,
}
_PROFESSOR_RANK: dict[str, Level] = {
    "assistant": Level.JUNIOR,
    "associate": Level.INTERMEDIATE,
}
# After these a prefix word names the job or the rank of an executive, not a grade.
_NOT_AFTER_PREFIX = frozenset(
    "director vice president dean principal data scheduler planner degree".split()
)
# Words after which "lead" and "senior" are nouns or adjectives of the work itself.
_NOUN_AFTER = {
    "lead": frozenset("generation generator abatement".split()),
    "senior": frozenset("care living citizen center centre services".split()),
}
_SCHOOL = frozenset(
    "school elementary middle high academy education kindergarten preschool secondary "
    "charter assistant vice".split()
)
_STAFF_ROLES = frozenset(
    "engineer developer scientist architect designer researcher programmer software".split()
)


@attrs.frozen(kw_only=True)
class LevelHit:
    """A level a title implies and the positions of the tokens that say it."""

    level: Level
    word: str
    positions: frozenset[int]


def _expert_here(
    word: str, before: str | None, following: list[str], texts: list[str], words: int
) -> bool:
    """ "Principal" unless at a school or alone, "Staff" before an engineering or science
    role, "Fellow" after "Technical" or "Distinguished"."""
    if word == "principal":
        return words > 1 and not _SCHOOL & set(texts)
    if word == "staff":
        return bool(_STAFF_ROLES & set(following))
    return word == "fellow" and before in {"technical", "distinguished", "senior"}


def _hits(tokens: tuple[Token, ...]) -> list[LevelHit]:
    texts = [t.text if t.kind is not Kind.STOP else "" for t in tokens]
    content_at = [i for i, t in enumerate(texts) if t]
    first = content_at[0] if content_at else -1
    hits: list[LevelHit] = []

    def hit(level: Level, *positions: int) -> None:
        raw = " ".join(dict.fromkeys(tokens[p].raw for p in sorted(positions)))
        hits.append(LevelHit(level=level, word=raw, positions=frozenset(positions)))

    for n, i in enumerate(content_at):
        word = texts[i]
        after = texts[content_at[n + 1]] if n + 1 < len(content_at) else None
        before = texts[content_at[n - 1]] if n > 0 else None
        after_raw = tokens[content_at[n + 1]].raw.casefold() if after is not None else None
        if word in _PLAIN and (after is None or after not in _NOUN_AFTER.get(word, ())):
            hit(_PLAIN[word], i)
        elif word in _WITH_LEVEL and after == "level":
            hit(_WITH_LEVEL[word], i, content_at[n + 1])
        elif word in _NUMERALS and before is not None:
            if before == "level":
                hit(_NUMERALS[word], i, content_at[n - 1])
            elif after is None or (word.isalpha() and after not in _NUMERALS):
                hit(_NUMERALS[word], i)
        elif word in _PROFESSOR_RANK and after_raw == "professor":
            hit(_PROFESSOR_RANK[word], i)
        elif word in _PREFIX_ONLY and i == first and after and after not in _NOT_AFTER_PREFIX:
            hit(_PREFIX_ONLY[word], i)
        elif _expert_here(word, before, texts[i + 1 :], texts, len(content_at)):
            hit(Level.EXPERT, i)
    return hits


_RANK = {Level.JUNIOR: 0, Level.INTERMEDIATE: 1, Level.SENIOR: 2, Level.EXPERT: 3}


def find_level(tokens: tuple[Token, ...]) -> LevelHit | None:
    """The highest level the tokens imply, or None.

    Rules, in words:
    - junior: junior, jr, entry (level), trainee, intern, apprentice, graduate and associate as
      the first word ("Associate Product Manager", not "Sales Associate"), numeral I or 1;
    - intermediate: intermediate, mid (level), journeyman, numeral II or 2;
    - senior: senior, sr, snr, lead ("Lead Engineer", not "Lead Generation"), numeral III or 3;
    - expert: principal (not a school principal), staff before an engineering or science role
      ("Staff Engineer", not "Staff Accountant" or "Staff Nurse"), distinguished, master as the
      first word ("Master Electrician", not "Scrum Master"), numeral IV, V, 4 or 5;
    - numerals count after the job's words ("Engineer II") or after "level" ("Level 2"), not
      before the job's words ("3rd Grade Teacher", "911 Dispatcher");
    - academic ranks: assistant professor junior, associate professor intermediate;
    - executive words (chief, VP, director, head of) set no level: they name a management job.
    When a title has several level words the highest wins ("Senior Staff Engineer" is expert).
    A level word inside an alias that names the whole title ("Warehouse Lead") is part of the
    job's name; the matcher then reports no level.
    """
    hits = _hits(tokens)
    if not hits:
        return None
    return max(hits, key=lambda h: (_RANK[h.level], -min(h.positions)))


def level_positions(tokens: tuple[Token, ...]) -> frozenset[int]:
    """Positions of every token that says a level, to leave out of matching."""
    return frozenset(p for h in _hits(tokens) for p in h.positions)
