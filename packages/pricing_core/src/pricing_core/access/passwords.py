"""The password policy of access.md: length, a blocklist and context words; no composition."""

from __future__ import annotations

import string
import unicodedata
from collections.abc import Iterable

import attrs

from pricing_core.errors import InvalidRequest

__all__ = ["ABSOLUTE_MIN_LENGTH", "DEFAULT_MIN_LENGTH", "MAX_LENGTH", "PasswordPolicy"]

DEFAULT_MIN_LENGTH = 15  # NIST SP 800-63B rev. 4 for a password used as the only factor
ABSOLUTE_MIN_LENGTH = 8  # the ASVS floor: an administrator may lower the minimum to this
MAX_LENGTH = 128
# Context words shorter than this would reject far too much ("hr", "ai").
MIN_CONTEXT_LENGTH = 3
# Stripped from both ends before a second blocklist look-up: "Password123456789!" is "password".
_DECORATION = string.digits + string.punctuation + string.whitespace


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

    Length counts Unicode code points, so spaces and emoji count like letters. There are no
    composition rules (NIST SP 800-63B §3.1.1.2). `blocklist` holds common and breached
    passwords (compared case-insensitively, also after stripping digits, punctuation and
    spaces from both ends); `context_words` are configured names such as the company's and
    the product's, rejected anywhere inside a password.
    """

    min_length: int = attrs.field(default=DEFAULT_MIN_LENGTH, validator=_min_length)
    blocklist: frozenset[str] = attrs.field(
        factory=frozenset, converter=_blocklist, repr=lambda words: f"<{len(words)} words>"
    )
    context_words: tuple[str, ...] = attrs.field(default=(), converter=_context)

    def check(self, password: str, *, email: str, context_words: Iterable[str] = ()) -> None:
        """Raise InvalidRequest("password", reason) for a password this policy refuses.

        The reason never repeats the password or the word found in it.
        """
        length = len(password)  # str length is the number of code points
        if length < self.min_length:
            raise InvalidRequest("password", f"must be at least {self.min_length} characters")
        if length > MAX_LENGTH:
            raise InvalidRequest("password", f"must be at most {MAX_LENGTH} characters")
        folded = _fold(password)
        core = folded.strip(_DECORATION)
        if folded in self.blocklist or (core and core in self.blocklist):
            raise InvalidRequest("password", "is too common: it is on a list of known passwords")
        if _contains(folded, _email_name(email)):
            raise InvalidRequest("password", "must not contain the name part of your email address")
        if any(_contains(folded, word) for word in (*self.context_words, *context_words)):
            raise InvalidRequest(
                "password", "must not contain the name of this service, product or company"
            )


def _email_name(email: str) -> str:
    """The local part without a "+tag": jane.doe+hr@example.com gives "jane.doe"."""
    local = email.rpartition("@")[0] if "@" in email else email
    return local.partition("+")[0]


def _contains(folded_password: str, word: str) -> bool:
    folded = _fold(word).strip()
    compact = _compact(folded)
    if len(compact) < MIN_CONTEXT_LENGTH:
        return False
    return folded in folded_password or compact in _compact(folded_password)
