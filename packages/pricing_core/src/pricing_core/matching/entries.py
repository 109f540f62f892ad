"""The names an occupation answers to: its official title, parts of it and its aliases."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping

import attrs

from pricing_core.matching.model import Alias, Occupation
from pricing_core.matching.rules import Kind, Token, tokenise
from pricing_core.matching.word_kinds import ROLE_GROUPS

__all__ = ["CATCH_ALL", "DISCOUNT", "GENERIC", "Entry", "entries_of", "kinds_of", "proposable"]

CATCH_ALL = 0.9  # "..., All Other" names lose to a named occupation that fits as well
PART_OF_NAME = 0.98  # "Auditors" cut from "Accountants and Auditors"
SECOND_CODE = 0.97  # each further occupation of an alias listed for several
# A name or alias that is only a kind of work ("Analyst", "Engineers, All Other") is a
# fallback: it loses to a name sharing the title's more telling words ("Payroll Analyst").
GENERIC = 0.85
# How much a word counts by its kind: modifiers ("Remote", "Java") and credentials ("CPA")
# count for little, qualifiers ("- Marketing") for half.
DISCOUNT = {
    Kind.WORD: 1.0,
    Kind.QUALIFIER: 0.5,
    Kind.MODIFIER: 0.25,
    Kind.CREDENTIAL: 0.25,
    Kind.STOP: 0.0,
}

_EXCEPT = re.compile(r",\s*except\b.*$", re.IGNORECASE)
_ALL_OTHER = re.compile(r",\s*all other\b.*$", re.IGNORECASE)
_SEGMENTS = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+", re.IGNORECASE)


@attrs.frozen(kw_only=True)
class Entry:
    """One name an occupation answers to: its official title, part of it, or an alias."""

    code: str
    label: str
    kind: str  # "alias", "title" or "name" (a part of the title)
    kinds: Mapping[str, Kind]
    factor: float = 1.0
    # The entry's words, stop words left out.
    tokens: frozenset[str] = attrs.field(
        init=False, default=attrs.Factory(lambda self: frozenset(self.kinds), takes_self=True)
    )


def kinds_of(tokens: Iterable[Token]) -> dict[str, Kind]:
    """Each distinct word and the kind that counts most for it (a word beats a modifier)."""
    kinds: dict[str, Kind] = {}
    for token in tokens:
        if token.kind is Kind.STOP:
            continue
        known = kinds.get(token.text)
        if known is None or DISCOUNT[token.kind] > DISCOUNT[known]:
            kinds[token.text] = token.kind
    return kinds


def _generic(kinds: Mapping[str, Kind]) -> bool:
    """Whether a name says only a kind of work, modifiers aside ("Area Manager")."""
    telling = {t for t, k in kinds.items() if k is Kind.WORD or k is Kind.QUALIFIER}
    return telling <= ROLE_GROUPS.keys()


def _title_entries(occupation: Occupation) -> list[Entry]:
    title = _EXCEPT.sub("", occupation.title)
    factor = CATCH_ALL if _ALL_OTHER.search(title) else 1.0
    title = _ALL_OTHER.sub("", title)
    code = occupation.code
    kinds = kinds_of(tokenise(title))
    factor *= GENERIC if _generic(kinds) else 1.0
    entries = [Entry(code=code, label=occupation.title, kind="title", kinds=kinds, factor=factor)]
    if " and " not in title or "including" in title.casefold():
        return entries
    # A list of plural nouns names each of them: "Welders, Cutters, Solderers, and Brazers".
    parts = [re.sub(r"^other\s+", "", p, flags=re.IGNORECASE) for p in _SEGMENTS.split(title)]
    listed = all(p.endswith("s") for p in parts) and all(" " not in p for p in parts[:-1])
    if not listed or len(parts[-1].split()) > 2:
        return entries
    for part in parts:
        kinds = kinds_of(tokenise(part))
        # "Related Workers" or "Operators" alone would claim every worker or operator.
        if "related" in part.casefold() or _generic(kinds):
            continue
        factor_ = factor * PART_OF_NAME
        entries.append(Entry(code=code, label=part, kind="name", kinds=kinds, factor=factor_))
    return entries


def _alias_entries(aliases: Iterable[Alias], known: set[str]) -> list[Entry]:
    entries: list[Entry] = []
    seen: dict[frozenset[str], int] = defaultdict(int)
    for alias in aliases:
        if alias.code not in known:
            # Aliases are written for the OEWS occupations; a title source without one of
            # them (a survey's own job list) simply has no use for it.
            continue
        kinds = kinds_of(tokenise(alias.text))
        if not kinds:
            raise ValueError(f"alias {alias.text!r} has no words")
        rank = seen[frozenset(kinds)]
        seen[frozenset(kinds)] += 1
        factor = SECOND_CODE**rank * (GENERIC if _generic(kinds) else 1.0)
        entries.append(
            Entry(code=alias.code, label=alias.text, kind="alias", kinds=kinds, factor=factor)
        )
    return entries


def proposable(occupations: Iterable[Occupation]) -> frozenset[str]:
    """Codes of the detailed occupations that no other listed occupation lies under: a list
    that marks no groups still proposes 15-1252 and never the group 15-1250 above it."""
    digits = {o.code.replace("-", ""): o for o in occupations}
    # A group's code is its prefix padded with zeros: 15-1250 holds every 15-125x.
    stems = {d.rstrip("0"): d for d in digits}
    groups = {stems[d[:k]] for d in digits for k in range(len(d)) if stems.get(d[:k], d) != d}
    return frozenset(o.code for d, o in digits.items() if o.detailed and d not in groups)


def entries_of(occupations: Iterable[Occupation], aliases: Iterable[Alias]) -> list[Entry]:
    """The names of the proposable occupations and the aliases, whose codes must exist."""
    occupations = tuple(occupations)
    leaves = proposable(occupations)
    entries = [e for o in occupations if o.code in leaves for e in _title_entries(o)]
    return entries + _alias_entries(aliases, {o.code for o in occupations})
