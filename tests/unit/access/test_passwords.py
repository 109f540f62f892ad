"""The password policy: checklist items 1 (length, any composition) and 2 (blocklist, context)."""

from __future__ import annotations

import string
import unicodedata

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from pricing_core.access.passwords import MAX_LENGTH, PasswordPolicy
from pricing_core.errors import InvalidRequest

# A fixture standing in for the shipped list: some of the most common passwords.
COMMON = frozenset(
    {"123456", "password", "12345678", "qwerty", "123456789", "letmein", "dragon", "monkey",
     "iloveyou", "trustno1", "sunshine", "princess", "qwertyuiop", "football", "baseball",
     "1qaz2wsx3edc4rfv", "qwerty123456789", "passwordpassword"}
)  # fmt: skip
EMAIL = "jane.doe@example.com"


@pytest.fixture
def policy() -> PasswordPolicy:
    return PasswordPolicy(blocklist=COMMON, context_words=("Acme Corp", "Pricewise"))


def problem(policy: PasswordPolicy, password: str, **kwargs: object) -> str:
    with pytest.raises(InvalidRequest) as caught:
        policy.check(password, email=EMAIL, **kwargs)  # type: ignore[arg-type]
    assert caught.value.field == "password"
    if password.strip():  # the reason never echoes the password
        assert password not in str(caught.value)
    return caught.value.problem


@pytest.mark.parametrize(
    "password",
    [
        "mauve tulip orbit",
        "correct horse battery staple",
        "   spaces   around   words   ",  # no composition rules
        "🔑🔒🗝️🚪🏠🦊🐍🌵🌊🍀🔥🎲🎯🧭🪐",
        "日本語のパスワードです十五文字",
        "".join(chr(0x4E00 + 37 * n) for n in range(128)),
        "Ünïcödé wörds hère",
    ],
    ids=["15-letters", "words", "spaces", "emoji", "japanese", "128", "accents"],
)
def test_accepts_any_composition_from_15_to_128_code_points(
    policy: PasswordPolicy, password: str
) -> None:
    assert 15 <= len(password) <= 128
    policy.check(password, email=EMAIL)


@pytest.mark.parametrize("password", ["a" * 14, "🔑" * 14, " " * 14, ""])
def test_rejects_14_code_points_or_fewer(policy: PasswordPolicy, password: str) -> None:
    assert problem(policy, password) == "must be at least 15 characters"


def test_length_counts_code_points_not_bytes(policy: PasswordPolicy) -> None:
    # 15 emoji are 60 bytes in UTF-8 but 15 characters: accepted.
    policy.check("🔑🔒🗝🚪🏠🦊🐍🌵🌊🍀🔥🎲🎯🧭🪐", email=EMAIL)
    assert len(("🔑" * 14).encode()) > 15
    assert problem(policy, "🔑" * 14) == "must be at least 15 characters"


def test_rejects_129(policy: PasswordPolicy) -> None:
    assert problem(policy, "y" * 129) == f"must be at most {MAX_LENGTH} characters"


@pytest.mark.parametrize(
    "password",
    ["Password123456789", "PASSWORD!!!!!!!!!!", "  letmein 2024 !!!!", "QWERTY123456789",
     "1qaz2wsx3edc4rfv", "PasswordPassword"],
)  # fmt: skip
def test_rejects_common_passwords(policy: PasswordPolicy, password: str) -> None:
    assert "too common" in problem(policy, password)


def test_rejects_the_email_name(policy: PasswordPolicy) -> None:
    assert "email" in problem(policy, "my name is Jane.Doe, ok?")
    assert "email" in problem(policy, "janedoe-is-the-best-1")  # separators do not hide it
    with pytest.raises(InvalidRequest):
        policy.check("bob-builder-can-fix-it", email="bob+hr@example.com")


def test_a_short_email_name_is_not_a_context_word(policy: PasswordPolicy) -> None:
    policy.check("just some long passphrase", email="jo@example.com")


@pytest.mark.parametrize(
    "password", ["acme corp forever 1", "ACMECORP-rules-all", "pricewise-is-great"]
)
def test_rejects_configured_context_words(policy: PasswordPolicy, password: str) -> None:
    assert "company" in problem(policy, password)


def test_rejects_context_words_given_with_the_check(policy: PasswordPolicy) -> None:
    assert "company" in problem(policy, "globex-admin-2024", context_words=("globex",))
    policy.check("globex-admin-2024", email=EMAIL)  # not a context word unless configured


def test_minimum_may_be_lowered_to_8_but_not_below() -> None:
    PasswordPolicy(min_length=8).check("8 chrs!?", email=EMAIL)
    with pytest.raises(ValueError, match="between 8 and 128"):
        PasswordPolicy(min_length=7)
    with pytest.raises(ValueError, match="between 8 and 128"):
        PasswordPolicy(min_length=129)


def test_blocklist_is_compared_case_insensitively() -> None:
    policy = PasswordPolicy(blocklist=frozenset({"CorrectHorseBatteryStaple"}))
    with pytest.raises(InvalidRequest):
        policy.check("correcthorsebatterystaple", email=EMAIL)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _listed(password: str) -> bool:
    folded = _fold(password)
    core = folded.strip(string.digits + string.punctuation + string.whitespace)
    return folded in COMMON or core in COMMON


def _refused_by_a_pattern_rule(password: str) -> bool:
    try:
        PasswordPolicy(product_words=()).check(password, email="x@example.com")
    except InvalidRequest:
        return True
    return False


@given(st.text(min_size=15, max_size=128).filter(lambda p: 15 <= len(p) <= 128))
def test_any_unlisted_password_without_context_words_passes(password: str) -> None:
    policy = PasswordPolicy(blocklist=COMMON, context_words=("acme",), product_words=())
    folded = _fold(password)
    assume(not _listed(password))
    assume(not _refused_by_a_pattern_rule(password))  # repetitive or sequential
    assume("acme" not in "".join(ch for ch in folded if ch.isalnum()))
    assume("janedoe" not in "".join(ch for ch in folded if ch.isalnum()))
    assume("jane" not in "".join(ch for ch in folded if ch.isalnum()))
    policy.check(password, email=EMAIL)
