"""The search index: names and aliases as weighted token sets, inverted, with IDF weights."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping

import attrs

from pricing_core.matching.entries import DISCOUNT, Entry, entries_of
from pricing_core.matching.model import Alias, Occupation
from pricing_core.matching.rules import Kind
from pricing_core.matching.word_kinds import ROLE_GROUPS

__all__ = ["Index", "Scored", "build_index"]

# How much the share of the title explained counts against the share of the name used:
# a title's extra words ("Payments") hurt less than a name's missing words.
RECALL_POWER = 0.65
PRECISION_POWER = 0.35
# A name without the title's head noun ("Cafeteria Cook" for "Cafeteria Worker") fits less
# well than its shared words say, a little less so when it names the same kind of work
# ("Benefits Specialist" for "Benefits Analyst") and more when another ("Benefits Manager").
HEAD_MISSING = 0.8
HEAD_SAME_KIND = 0.9
# A word no name or alias has lowers every score alike, as much as a rarish word would.
UNKNOWN_SHARE = 0.6

# A fit: its score and the entry's position in the index.
Scored = tuple[float, int]


@attrs.frozen(kw_only=True)
class Index:
    """Entries reachable by exact token set and by any shared token, with IDF weights."""

    entries: tuple[Entry, ...]
    by_tokens: dict[frozenset[str], tuple[int, ...]]
    postings: dict[str, tuple[tuple[int, float], ...]]
    weights: dict[str, float]
    unknown_weight: float
    entry_weights: tuple[float, ...]
    entry_roles: tuple[frozenset[str], ...]

    def weight(self, token: str, kind: Kind = Kind.WORD) -> float:
        """A token's IDF weight, discounted by its kind; unknown words get a fixed weight."""
        return self.weights.get(token, self.unknown_weight) * DISCOUNT[kind]

    def exact(self, tokens: frozenset[str]) -> tuple[int, ...]:
        """Positions of the entries whose words are exactly `tokens`."""
        return self.by_tokens.get(tokens, ())

    def fuzzy(
        self,
        query: Mapping[str, Kind],
        head: str | None = None,
        kinds: frozenset[str] | None = None,
    ) -> dict[str, Scored]:
        """The best entry of each occupation sharing a word with the query, by weighted
        recall (how much of the query it explains) and precision (how much of it is used)."""
        weights = {t: self.weight(t, k) for t, k in query.items()}
        total = sum(weights.values())
        if total <= 0:
            return {}
        head_role = ROLE_GROUPS.get(head or "")
        recalled: dict[int, float] = {}
        used: dict[int, float] = {}
        for token, weight in weights.items():
            for i, entry_weight in self.postings.get(token, ()):
                if i in recalled:
                    recalled[i] += weight
                    used[i] += entry_weight
                else:
                    recalled[i] = weight
                    used[i] = entry_weight
        entries, entry_weights, entry_roles = self.entries, self.entry_weights, self.entry_roles
        best: dict[str, Scored] = {}
        for i, overlap in recalled.items():
            entry = entries[i]
            if kinds is not None and entry.kind not in kinds:
                continue
            recall = overlap / total
            precision = used[i] / entry_weights[i]
            score = (
                (recall if recall < 1.0 else 1.0) ** RECALL_POWER
                * (precision if precision < 1.0 else 1.0) ** PRECISION_POWER
                * entry.factor
            )
            if head is not None and head not in entry.tokens:
                score *= HEAD_SAME_KIND if head_role in entry_roles[i] else HEAD_MISSING
            current = best.get(entry.code)
            if current is None or score > current[0]:
                best[entry.code] = (score, i)
        return best


def _roles(tokens: Iterable[str]) -> frozenset[str]:
    return frozenset(ROLE_GROUPS[t] for t in tokens if t in ROLE_GROUPS)


def build_index(occupations: Iterable[Occupation], aliases: Iterable[Alias]) -> Index:
    """Index the detailed occupations' titles and every alias."""
    entries = entries_of(occupations, aliases)
    documents: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        documents[entry.code] |= entry.tokens
    frequency: dict[str, int] = defaultdict(int)
    for words in documents.values():
        for token in words:
            frequency[token] += 1
    n = max(len(documents), 1)
    weights = {t: math.log(1.0 + n / f) for t, f in frequency.items()}
    ordered = sorted(weights.values())
    unknown = ordered[len(ordered) // 2] * UNKNOWN_SHARE if ordered else 1.0
    by_tokens: dict[frozenset[str], list[int]] = defaultdict(list)
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    entry_weights = []
    for i, entry in enumerate(entries):
        by_tokens[entry.tokens].append(i)
        total = 0.0
        for token, kind in entry.kinds.items():
            weight = weights[token] * DISCOUNT[kind]
            postings[token].append((i, weight))
            total += weight
        entry_weights.append(total or 1.0)
    return Index(
        entries=tuple(entries),
        by_tokens={k: tuple(v) for k, v in by_tokens.items()},
        postings={k: tuple(v) for k, v in postings.items()},
        weights=weights,
        unknown_weight=unknown,
        entry_weights=tuple(entry_weights),
        entry_roles=tuple(_roles(e.tokens) for e in entries),
    )
