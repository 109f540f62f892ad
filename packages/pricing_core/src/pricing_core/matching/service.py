"""The title matcher: a free-text job title to ranked occupations and the level it implies."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import attrs

from pricing_core.errors import InvalidRequest
from pricing_core.matching.entries import kinds_of
from pricing_core.matching.index import Index, Scored, build_index
from pricing_core.matching.model import Alias, Candidate, Occupation, TitleMatch
from pricing_core.matching.readings import (
    SUPERVISOR_WORDS,
    Reading,
    Supervisors,
    before_to,
    executive_reading,
)
from pricing_core.matching.rules import Kind, content, head, tokenise
from pricing_core.matching.seniority import find_level, level_positions

__all__ = ["TitleMatcher"]

# An executive title read as the manager of its function ("VP Sales" as "Sales Manager")
# ranks just below an alias that names the executive title itself; so does a supervisor
# read from what it supervises.
EXECUTIVE_READING = 0.95
SUPERVISOR_READING = 0.95
# Directors, VPs and chiefs manage: through that reading, occupations outside management
# (major group 11) fit less well ("Director of Business Development" is no sales rep).
NOT_MANAGEMENT = 0.9
MIN_SCORE = 0.05  # below this a shared word is chance, not a candidate
_CODE = re.compile(r"\d{2}-?\d{0,4}")


@attrs.frozen(kw_only=True)
class TitleMatcher:
    """Matches job titles against occupation names and aliases; build once, match often."""

    index: Index
    occupations: dict[str, Occupation]
    supervisors: Supervisors

    @classmethod
    def build(cls, occupations: Iterable[Occupation], aliases: Iterable[Alias]) -> TitleMatcher:
        """Index the occupations (only detailed ones are proposed) and the aliases."""
        occupations = tuple(occupations)
        return cls(
            index=build_index(occupations, aliases),
            occupations={o.code: o for o in occupations},
            supervisors=Supervisors.of(occupations),
        )

    def occupation(self, code: str) -> Occupation | None:
        """The occupation with this SOC code (`15-1252`), or None."""
        return self.occupations.get(code)

    def match(self, title: str, limit: int = 5) -> TitleMatch:
        """Up to `limit` candidates for `title`, best first, and the level the title implies."""
        if not title.strip():
            raise InvalidRequest("title", "must not be empty")
        if limit < 1:
            raise InvalidRequest("limit", "must be at least 1", limit)
        tokens = before_to(tokenise(title))
        levels = level_positions(tokens)
        unlevelled = tuple(t for i, t in enumerate(tokens) if i not in levels) or tokens
        # code -> (score, entry position, exact, reading)
        best: dict[str, tuple[float, int, bool, Reading]] = {}

        def offer(found: dict[str, Scored], reading: Reading, exact: bool = False) -> None:
            for code, (score, i) in found.items():
                score *= reading.factor
                if reading.managing and not code.startswith("11-"):
                    score *= NOT_MANAGEMENT
                current = best.get(code)
                if current is None or score > current[0]:
                    best[code] = (score, i, exact, reading)

        def offer_exact(reading: Reading) -> None:
            entries = self.index.entries
            found: dict[str, Scored] = {}
            for i in self.index.exact(reading.words):
                if entries[i].code not in found or entries[i].factor > found[entries[i].code][0]:
                    found[entries[i].code] = (entries[i].factor, i)
            offer(found, reading, exact=True)

        # The whole title first: an alias may hold a level word ("Staff Nurse", "Principal").
        whole = Reading(words=frozenset(kinds_of(tokens)))
        offer_exact(whole)
        query = kinds_of(unlevelled)
        plain = Reading(words=frozenset(query))
        offer_exact(plain)
        noun = head(unlevelled)
        offer(self.index.fuzzy(query, noun), plain)
        if noun in SUPERVISOR_WORDS:
            self._supervising(query, offer)
        executive = executive_reading(content(unlevelled))
        if executive is not None:
            prefix = f'read as "{" ".join(sorted(executive))}": '
            reading = Reading(
                words=executive, factor=EXECUTIVE_READING, prefix=prefix, managing=True
            )
            offer_exact(reading)
            offer(self.index.fuzzy(dict.fromkeys(executive, Kind.WORD), "manager"), reading)
        # Rounded before ranking, so that equal-looking scores rank by code, the same each time.
        rounded = [
            (min(round(fit[0], 4), 1.0), code, fit)
            for code, fit in best.items()
            if fit[0] >= MIN_SCORE
        ]
        ranked = sorted(rounded, key=lambda item: (-item[0], item[1]))[:limit]
        candidates = tuple(
            Candidate(
                job_code=code,
                title=self.occupations[code].title,
                score=score,
                reason=self._reason(i, exact, reading),
            )
            for score, code, (_, i, exact, reading) in ranked
        )
        # Level words inside the alias that won belong to the job's name, not to a grade.
        named = bool(ranked) and ranked[0][2][3] is whole and whole.words != plain.words
        level = None if named else find_level(tokens)
        return TitleMatch(
            title=title,
            candidates=candidates,
            level=level.level if level else None,
            level_word=level.word if level else None,
        )

    def _supervising(
        self, query: dict[str, Kind], offer: Callable[[dict[str, Scored], Reading], None]
    ) -> None:
        """Offer the supervisor occupation of what the rest of the title names best."""
        rest = {t: k for t, k in query.items() if t not in SUPERVISOR_WORDS}
        found = self.index.fuzzy(rest)
        if not found:
            return
        code, (score, i) = max(found.items(), key=lambda item: (item[1][0], item[0]))
        words = self.index.entries[i].tokens | frozenset(rest)
        supervisor = self.supervisors.of_occupation(code, words)
        if supervisor is not None:
            title = self.occupations[code].title
            prefix = f'supervisor of "{title}": '
            reading = Reading(words=frozenset(rest), factor=SUPERVISOR_READING, prefix=prefix)
            offer({supervisor: (score, i)}, reading)

    def _reason(self, position: int, exact: bool, reading: Reading) -> str:
        entry = self.index.entries[position]
        what = f'{entry.kind} "{entry.label}"'
        if not exact:
            what = f"words {', '.join(sorted(reading.words & entry.tokens))} of {what}"
        return reading.prefix + what

    def search_occupations(self, text: str, limit: int = 10) -> tuple[Occupation, ...]:
        """Occupations by code prefix (`15-12`, `1512`) or by the words of their official name."""
        query = text.strip()
        if not query or limit < 1:
            return ()
        if _CODE.fullmatch(query):
            digits = query.replace("-", "")
            ordered = sorted(self.occupations.items())
            return tuple(o for c, o in ordered if c.replace("-", "").startswith(digits))[:limit]
        titles = frozenset({"title", "name"})
        scored = self.index.fuzzy(kinds_of(tokenise(query)), kinds=titles)
        ranked = sorted(scored.items(), key=lambda item: (-item[1][0], item[0]))[:limit]
        return tuple(self.occupations[code] for code, _ in ranked)
