"""Issue 11 item 3: weak passwords that passed by default are refused, each naming its rule,
by the core's rules with the shipped list (an adapter's file: not a core-alone test).

NIST SP 800-63B asks for a blocklist of common and breached passwords, repetitive and
sequential strings, context-specific words (the service's own) and the user's own details.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pricing_adapters.password_list import load_blocklist
from pricing_core.access.passwords import PRODUCT_WORDS, PasswordPolicy, WeakPassword

EMAIL = "jane.doe@example.com"
NAME = "Jane Doe"
SHIPPED = PasswordPolicy(blocklist=load_blocklist())


@pytest.fixture(scope="module")
def shipped() -> PasswordPolicy:
    """The default policy with the shipped list, as the product builds it."""
    return SHIPPED


def rule(policy: PasswordPolicy, password: str, **kwargs: str) -> str:
    with pytest.raises(WeakPassword) as caught:
        policy.check(password, **{"email": EMAIL, "name": NAME, **kwargs})
    error = caught.value
    assert error.field == "password"
    assert error.details["rule"] == error.rule
    if password.strip():
        assert password not in str(error)
    return error.rule


@pytest.mark.parametrize(
    ("password", "refused_by"),
    [
        (" " * 15, "repetitive"),
        ("aaaaaaaaaaaaaaa", "repetitive"),
        ("123456789012345", "sequential"),
        ("passwordpassword", "common"),  # on the shipped list; "repetitive" without it
        ("payroll-admin-2024", "context"),
    ],
    ids=["15-spaces", "15-a", "digits", "passwordpassword", "payroll-admin"],
)
def test_the_examples_of_the_issue_are_refused_by_default(
    shipped: PasswordPolicy, password: str, refused_by: str
) -> None:
    assert rule(shipped, password) == refused_by


def test_the_current_password_is_refused_as_the_new_one(shipped: PasswordPolicy) -> None:
    current = "mauve tulip orbit lantern"
    assert rule(shipped, current, current=current) == "reused"
    assert rule(shipped, current.upper(), current=current) == "reused"  # a case change too
    shipped.check("mauve tulip orbit lantern 2", email=EMAIL, current=current)


@pytest.mark.parametrize(
    "password",
    ["abababababababab", "passwordpassword", "xyz!xyz!xyz!xyz!", "1212121212121212",
     "aaaaaaaaaaaaaab", "abcabcabcabcabcab", "qqqqwwwweeeerrrr"],
)  # fmt: skip
def test_repetitive_strings_are_refused_without_any_list(password: str) -> None:
    assert rule(PasswordPolicy(), password) == "repetitive"


@pytest.mark.parametrize(
    "password",
    ["123456789012345", "abcdefghijklmnop", "zyxwvutsrqponmlk", "9876543210987654",
     "qwertyuiopasdfgh", "ABCDE-FGHIJ-KLMNO", "mnbvcxzlkjhgfdsa", "xyzabcdefghijklm"],
)  # fmt: skip
def test_sequential_strings_are_refused_without_any_list(password: str) -> None:
    assert rule(PasswordPolicy(), password) == "sequential"


@pytest.mark.parametrize("word", PRODUCT_WORDS)
def test_the_product_words_are_refused_by_default(word: str) -> None:
    assert rule(PasswordPolicy(), f"my {word.upper()} tulip orbit") == "context"


def test_configured_context_words_add_to_the_product_words() -> None:
    policy = PasswordPolicy(context_words=("Globex Corp",))
    assert rule(policy, "globexcorp tulip orbit") == "context"
    assert rule(policy, "salary tulip orbit lantern") == "context"


def test_the_users_email_and_name_are_refused() -> None:
    policy = PasswordPolicy()
    assert rule(policy, "jane.doe tulip orbit") == "email"
    assert rule(policy, "tulip orbit JANE lantern") == "email"  # a part of the email name
    assert rule(policy, "tulip orbit Jane Doe", email="x@example.com") == "name"
    assert rule(policy, "smithers tulip orbit", email="x@example.com", name="Jo Doe-Smithers") == (
        "name"
    )
    policy.check("tulip orbit jo lantern", email="x@example.com", name="Jo Li")  # short parts


def test_the_shipped_list_is_large_and_holds_common_and_breached_passwords() -> None:
    words = load_blocklist()
    assert len(words) > 50_000
    assert {"123456", "password", "qwerty", "iloveyou", "trustno1", "1qaz2wsx3edc4rfv"} <= words
    assert isinstance(words, frozenset)  # a hash probe per look-up


@pytest.mark.parametrize(
    "password",
    ["Password123456789", "QWERTY123456789!", "  iloveyou 2024!!!", "Trustno1!!!!!!!!!"],
)
def test_common_passwords_decorated_to_15_characters_are_refused(
    shipped: PasswordPolicy, password: str
) -> None:
    assert rule(shipped, password) == "common"


POOL = (
    "orbit", "tulip", "lantern", "mauve", "quiet", "harbor", "cobalt", "meadow", "thistle",
    "ember", "glacier", "saffron", "walnut", "pylon", "juniper", "sextant", "oyster", "quill",
    "bramble", "citadel", "ferret", "gossamer", "heron", "indigo", "kelp", "lichen", "marrow",
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(st.sampled_from(POOL), min_size=4, max_size=8, unique=True),
    separator=st.sampled_from([" ", "-", ".", "_", ""]),
    capitalise=st.booleans(),
)
def test_long_random_passphrases_from_a_word_pool_are_accepted(
    words: list[str], separator: str, capitalise: bool
) -> None:
    password = separator.join(w.capitalize() if capitalise else w for w in words)
    if len(password) < 15:
        return
    SHIPPED.check(password, email=EMAIL, name=NAME)
