"""The password policy of access.md and NIST SP 800-63B: length, a blocklist, no patterns.

There are no composition rules. A password is refused when it is too short or too long, on
the list of common and breached passwords, one short pattern repeated, a sequence (of
digits, letters or keyboard keys), contains a word about this product or company or the
user's own email or name, or is the user's current password. Each refusal names its rule.
"""

from __future__ import annotations

import string
import unicodedata
from collections.abc import Iterable

import attrs

from pricing_core.errors import InvalidRequest

__all__ = [
    "ABSOLUTE_MIN_LENGTH",
    "DEFAULT_MIN_LENGTH",
    "MAX_LENGTH",
    "PRODUCT_WORDS",
    "PasswordPolicy",
    "WeakPassword",
]

DEFAULT_MIN_LENGTH = 15  # NIST SP 800-63B rev. 4 for a password used as the only factor
ABSOLUTE_MIN_LENGTH = 8  # the ASVS floor: an administrator may lower the minimum to this
MAX_LENGTH = 128
# Context words shorter than this would reject far too much ("hr", "ai").
MIN_CONTEXT_LENGTH = 3
# A part of a person's name or email ("jane" of "Jane Doe") counts from this length: shorter
# ones ("al", "li", "ann") occur inside too many ordinary words.
MIN_NAME_PART = 4
# Words about what this product guards: the first guesses of anyone attacking it.
PRODUCT_WORDS = ("pricing", "payroll", "salary", "salaries", "compensation")
# Stripped from both ends before a second blocklist look-up: "Password123456789!" is "password".
_DECORATION = string.digits + string.punctuation + string.whitespace
# Runs that people type in order; a password inside one of them (either way) is a sequence.
_RUNS = ("0123456789", string.ascii_lowercase, "qwertyuiopasdfghjklzxcvbnm")
# Fewer distinct characters than this is a repetition whatever the order ("aabbaabbab...").
MIN_DISTINCT = 5


class WeakPassword(InvalidRequest):
    """A password the policy refuses; `rule` names which rule refused it."""

    def __init__(self, rule: str, problem: str) -> None:
        super().__init__("password", problem)
        self.rule = rule
        self.details = {**self.details, "rule": rule}


def _fold(text: str) -> str:
    """Compare as people read: compatibility forms and case do not make a password new."""
    return unicodedata.normalize("NFKC", text).casefold()


def _compact(text: str) -> str:
    """Separators do not hide a word: "acme-corp" contains "Acme Corp"."""
    return "".join(ch for ch in text if ch.isalnum())


def _blocklist(words: Iterable[str]) -> frozenset[str]:
    return frozenset(_fold(w) for w in words)


def _context(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(words)


def _min_length(_: object, attribute: attrs.Attribute[int], value: int) -> None:
    if not ABSOLUTE_MIN_LENGTH <= value <= MAX_LENGTH:
        raise ValueError(
            f"{attribute.name} must be between {ABSOLUTE_MIN_LENGTH} and {MAX_LENGTH}, got {value}"
        )


@attrs.frozen(kw_only=True)
class PasswordPolicy:
    """Accept any password of the right length that is not common and names nothing obvious.

    Length counts Unicode code points, so spaces and emoji count like letters. `blocklist`
    holds common and breached passwords (compared case-insensitively, also after stripping
    digits, punctuation and spaces from both ends); `product_words` and `context_words`
    (configured names such as the company's) are rejected anywhere inside a password.
    """

    min_length: int = attrs.field(default=DEFAULT_MIN_LENGTH, validator=_min_length)
    blocklist: frozenset[str] = attrs.field(
        factory=frozenset, converter=_blocklist, repr=lambda words: f"<{len(words)} words>"
    )
    context_words: tuple[str, ...] = attrs.field(default=(), converter=_context)
    product_words: tuple[str, ...] = attrs.field(default=PRODUCT_WORDS, converter=_context)

    def check(
        self,
        password: str,
        *,
        email: str,
        name: str = "",
        context_words: Iterable[str] = (),
        current: str | None = None,
    ) -> None:
        """Raise WeakPassword (an InvalidRequest on "password") naming the rule that refuses.

        `current` is the user's current password, when they are changing it. The reason
        never repeats the password or the word found in it.
        """
        length = len(password)  # str length is the number of code points
        if length < self.min_length:
            raise WeakPassword("length", f"must be at least {self.min_length} characters")
        if length > MAX_LENGTH:
            raise WeakPassword("length", f"must be at most {MAX_LENGTH} characters")
        folded = _fold(password)
        if current is not None and folded == _fold(current):
            raise WeakPassword("reused", "must differ from your current password")
        core = folded.strip(_DECORATION)
        if folded in self.blocklist or (core and core in self.blocklist):
            raise WeakPassword("common", "is too common: it is on a list of known passwords")
        if _repetitive(folded):
            raise WeakPassword("repetitive", "must not be one character or pattern repeated")
        if _sequential(folded):
            raise WeakPassword("sequential", "must not be a sequence such as 12345 or abcde")
        if _contains_personal(folded, _email_name(email)):
            raise WeakPassword("email", "must not contain the name part of your email address")
        if _contains_personal(folded, name):
            raise WeakPassword("name", "must not contain your name")
        words = (*self.product_words, *self.context_words, *context_words)
        if any(_contains(folded, word) for word in words):
            raise WeakPassword(
                "context", "must not contain the name of this service, product or company"
            )


def _periodic(text: str) -> bool:
    """Whether `text` is a pattern repeated at least twice ("abcabcab", "passwordpassword")."""
    return any(text[p:] == text[:-p] for p in range(1, len(text) // 2 + 1))


def _repetitive(folded: str) -> bool:
    compact = _compact(folded)
    return (
        len(set(folded)) < MIN_DISTINCT
        or _periodic(folded)
        or (len(compact) >= ABSOLUTE_MIN_LENGTH and _periodic(compact))
    )


def _sequential(folded: str) -> bool:
    """Whether the letters and digits, separators left out, run along one of _RUNS."""
    compact = _compact(folded)
    if len(compact) < ABSOLUTE_MIN_LENGTH:
        return False
    for run in _RUNS:
        laps = run * (len(compact) // len(run) + 2)  # sequences wrap: ...7890123...
        if compact in laps or compact in laps[::-1]:
            return True
    return False


def _email_name(email: str) -> str:
    """The local part without a "+tag": jane.doe+hr@example.com gives "jane.doe"."""
    local = email.rpartition("@")[0] if "@" in email else email
    return local.partition("+")[0]


def _contains_personal(folded_password: str, text: str) -> bool:
    """The whole of a name (or email name), or any of its parts of MIN_NAME_PART or more."""
    parts = _fold(text).replace("_", " ").replace(".", " ").replace("-", " ").split()
    long_parts = [p for p in parts if len(_compact(p)) >= MIN_NAME_PART]
    return any(_contains(folded_password, word) for word in (text, *long_parts))


def _contains(folded_password: str, word: str) -> bool:
    folded = _fold(word).strip()
    compact = _compact(folded)
    if len(compact) < MIN_CONTEXT_LENGTH:
        return False
    return folded in folded_password or compact in _compact(folded_password)
