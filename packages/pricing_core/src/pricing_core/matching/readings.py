"""Readings of a title besides its words: a function's manager, an occupation's supervisor."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from pricing_core.matching.entries import kinds_of, proposable
from pricing_core.matching.model import Occupation
from pricing_core.matching.rules import Kind, Token, tokenise
from pricing_core.matching.word_kinds import EXECUTIVE_WORDS

__all__ = ["Reading", "Supervisors", "before_to", "executive_reading"]

SUPERVISOR_WORDS = frozenset({"supervisor", "foreman", "forewoman", "foreperson"})


@attrs.frozen(kw_only=True)
class Reading:
    """One way of reading the title: the words looked up and how much a fit through it counts."""

    words: frozenset[str]
    factor: float = 1.0
    prefix: str = ""
    managing: bool = False


def before_to(tokens: tuple[Token, ...]) -> tuple[Token, ...]:
    """ "Assistant to the CEO" is an assistant: what follows "to" names whom the job serves."""
    for i, token in enumerate(tokens):
        if token.kind is Kind.STOP and token.text == "to":
            head = tokens[:i]
            return head if any(t.kind is not Kind.STOP for t in head) else tokens
    return tokens


def executive_reading(core: list[Token]) -> frozenset[str] | None:
    """ "VP of Sales", "Head of Sales" and "Chief Sales Officer" as "Sales Manager"."""
    texts = [t.text for t in core]
    if not EXECUTIVE_WORDS & set(texts) or texts == ["officer"]:
        return None
    dropped = EXECUTIVE_WORDS if "chief" in texts else EXECUTIVE_WORDS - {"officer"}
    function = [t for t in texts if t not in dropped]
    if not function:
        return None
    return frozenset([*function, "manager"])


@attrs.frozen(kw_only=True)
class Supervisors:
    """The first-line supervisor occupations of each major group, with their names' words:
    "Teller Supervisor" supervises tellers (43-3071), so it is 43-1011."""

    by_group: dict[str, tuple[tuple[str, frozenset[str]], ...]]

    @classmethod
    def of(cls, occupations: Iterable[Occupation]) -> Supervisors:
        """The proposable occupations named "First-Line Supervisors of ...", by major group."""
        occupations = sorted(occupations, key=lambda o: o.code)
        leaves = proposable(occupations)
        groups: dict[str, list[tuple[str, frozenset[str]]]] = {}
        for o in occupations:
            if o.code in leaves and o.title.startswith("First-Line Supervisors"):
                words = frozenset(kinds_of(tokenise(o.title)))
                groups.setdefault(o.code[:2], []).append((o.code, words))
        return cls(by_group={g: tuple(v) for g, v in groups.items()})

    def of_occupation(self, code: str, words: frozenset[str]) -> str | None:
        """The supervisor occupation of the occupation `code` whose name shares most of
        `words` (the first by code when none shares more), or None."""
        options = self.by_group.get(code[:2], ())
        if not options or any(code == c for c, _ in options):
            return None
        return max(options, key=lambda option: len(option[1] & words))[0]
