"""Normalising a title into tokens: case, accents, punctuation, abbreviations and plurals."""

from __future__ import annotations

import re
import unicodedata
from enum import Enum

import attrs

from pricing_core.matching.word_kinds import CREDENTIALS, MODIFIERS
from pricing_core.matching.words import ABBREVIATIONS, JOINED, KEEP_PLURAL, SPELLINGS, STOPWORDS

__all__ = ["Kind", "Token", "content", "head", "normalise", "singular", "tokenise", "words"]

# "C++", "C#" and ".NET" lose their meaning once punctuation is dropped, so they are named first.
_SPECIAL = (
    (re.compile(r"c\+\+", re.IGNORECASE), " cpp "),
    (re.compile(r"c#", re.IGNORECASE), " csharp "),
    (re.compile(r"\.net\b", re.IGNORECASE), " dotnet "),
    (re.compile(r"\bv\.\s?p\b\.?", re.IGNORECASE), " vp "),
    # Dotted initials are one word: C.N.A., R.N.
    (re.compile(r"\b(?:[a-z]\.){2,}", re.IGNORECASE), lambda m: m.group(0).replace(".", "")),
    # Short ampersand compounds are one word each: R&D, L&D, FP&A, P&L.
    (re.compile(r"\b([a-z]{1,2})\s?&\s?([a-z]{1,2})\b", re.IGNORECASE), r" \1n\2 "),
    (re.compile(r"&"), " and "),
    (re.compile(r"['\u2019`]"), ""),
)
_WORD = re.compile(r"[^\W_]+")
_NUMBER = re.compile(r"\d+(?:st|nd|rd|th)?")
# What sets a qualifier apart from the title proper: a spaced dash, a comma, a bracket, a bar.
_SEPARATOR = re.compile(r"\s+[-\u2013\u2014]+\s+|[,(\[{|:;]")


# Endings of words that name a person by their work, and words that only look like them.
_AGENT = ("er", "or", "ist", "ian", "ant", "ent", "ier", "eer")
_NOT_AGENT = frozenset(
    "senior junior major minor interior exterior customer computer other under over master "
    "water power paper member partner center theater client patient".split()
)


class Kind(Enum):
    """What a token is for matching."""

    WORD = "word"
    QUALIFIER = "qualifier"  # a word after the title proper: "Data Analyst - Marketing"
    STOP = "stop"
    MODIFIER = "modifier"
    CREDENTIAL = "credential"


@attrs.frozen(kw_only=True)
class Token:
    """One normalised word of a title and the word it came from, as typed."""

    text: str
    raw: str
    kind: Kind = Kind.WORD


def normalise(text: str) -> str:
    """Accents stripped, special words named and ampersands read, the case kept."""
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in decomposed if not unicodedata.combining(c))
    for pattern, replacement in _SPECIAL:
        text = pattern.sub(replacement, text)
    return text


def words(text: str) -> list[str]:
    """The words of a text as typed, after `normalise`."""
    return _WORD.findall(normalise(text))


def singular(word: str) -> str:
    """A plural's singular by English spelling rules; other words unchanged."""
    if len(word) <= 3 or not word.endswith("s") or word in KEEP_PLURAL:
        return word
    if word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses", "zes")):
        return word[:-2]
    return word[:-1]


def _fold(word: str) -> str:
    word = SPELLINGS.get(word, word)
    word = singular(word)
    return SPELLINGS.get(word, word)


def _joined(raw_words: list[str]) -> list[tuple[str, str]]:
    lowered = [w.casefold() for w in raw_words]
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(lowered):
        pair = (lowered[i], lowered[i + 1]) if i + 1 < len(lowered) else None
        if pair is not None and pair in JOINED:
            raw = f"{raw_words[i]} {raw_words[i + 1]}"
            out.extend((part, raw) for part in JOINED[pair].split())
            i += 2
        else:
            out.append((lowered[i], raw_words[i]))
            i += 1
    return out


def _names_a_job(word: str) -> bool:
    """Whether a lone word reads as a job ("Bookkeeper") rather than a field ("Sales")."""
    word = word.casefold()
    return len(word) > 4 and word.endswith(_AGENT) and word not in _NOT_AGENT


def _segments(text: str) -> list[str]:
    """The parts of a title. A slash parts two titles ("Cashier/Stocker", "Office Manager /
    Bookkeeper") unless a lone field word before it shares the words after it ("UI/UX
    Designer", "Sales/Marketing Manager")."""
    parts: list[str] = []
    for segment in _SEPARATOR.split(text):
        pieces = segment.split("/")
        current = pieces[0]
        for piece in pieces[1:]:
            before, after = _WORD.findall(current), _WORD.findall(piece)
            shared = len(before) == 1 and len(after) > 1 and not _names_a_job(before[0])
            if shared or not before or not after:
                current = f"{current} {piece}"
            else:
                parts.append(current)
                current = piece
        parts.append(current)
    return parts


def tokenise(text: str) -> tuple[Token, ...]:
    """The title's tokens in order: lower case, singular, abbreviations spelled out; the words
    of the parts after the first that has words are qualifiers."""
    tokens: list[Token] = []
    for segment in _segments(normalise(text)):
        qualifies = any(t.kind is Kind.WORD for t in tokens)
        for token in _segment(segment):
            if qualifies and token.kind is Kind.WORD:
                token = Token(text=token.text, raw=token.raw, kind=Kind.QUALIFIER)
            tokens.append(token)
    return tuple(tokens)


def _segment(text: str) -> list[Token]:
    tokens: list[Token] = []
    for word, raw in _joined(_WORD.findall(text)):
        if word in STOPWORDS:
            tokens.append(Token(text=word, raw=raw, kind=Kind.STOP))
            continue
        expansion = ABBREVIATIONS.get(word) or ABBREVIATIONS.get(singular(word))
        if word in CREDENTIALS:
            kind = Kind.CREDENTIAL
        elif word in MODIFIERS or _NUMBER.fullmatch(word):
            kind = Kind.MODIFIER
        else:
            kind = Kind.WORD
        for part in (expansion or word).split():
            folded = _fold(part)
            # A word that folds onto a modifier ("nights") is one too.
            part_kind = Kind.MODIFIER if kind is Kind.WORD and folded in MODIFIERS else kind
            tokens.append(Token(text=folded, raw=raw, kind=part_kind))
    return tokens


def head(tokens: tuple[Token, ...] | list[Token]) -> str | None:
    """The title's head noun: the last word of the title proper, or the last before "of"
    ("Director of Finance"), a credential's when there is no other ("RN"); else None."""
    for kind in (Kind.WORD, Kind.CREDENTIAL):
        last = None
        for token in tokens:
            if token.kind is kind:
                last = token.text
            elif token.kind is Kind.STOP and token.text == "of" and last is not None:
                return last
        if last is not None:
            return last
    return None


def content(tokens: tuple[Token, ...] | list[Token]) -> list[Token]:
    """The tokens that can identify a job: no stop words, modifiers or credentials unless
    nothing else is left (so that "RN" alone or "Remote" alone still mean something)."""
    words_ = [t for t in tokens if t.kind is Kind.WORD or t.kind is Kind.QUALIFIER]
    if words_:
        return words_
    credentials = [t for t in tokens if t.kind is Kind.CREDENTIAL]
    if credentials:
        return credentials
    return [t for t in tokens if t.kind is not Kind.STOP]
