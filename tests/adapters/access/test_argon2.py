"""argon2id storage (checklist 3): the PHC string, parameters at or above OWASP's, rehashing."""

from __future__ import annotations

import re
from typing import Any

import pytest

from pricing_adapters.argon2_hasher import Argon2PasswordHasher

PASSWORD = "correct horse battery staple 🐎"
PHC = re.compile(r"^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$")


@pytest.fixture(scope="module")
def hasher() -> Argon2PasswordHasher:
    return Argon2PasswordHasher()


@pytest.fixture(scope="module")
def stored(hasher: Argon2PasswordHasher) -> str:
    return hasher.hash(PASSWORD)


def test_the_stored_hash_is_argon2id_v19_with_at_least_owasp_parameters(stored: str) -> None:
    assert stored.startswith("$argon2id$v=19$m=")
    match = PHC.match(stored)
    assert match is not None, stored
    memory, iterations, lanes = (int(g) for g in match.groups())
    assert memory >= 19456
    assert iterations >= 2
    assert lanes >= 1
    assert PASSWORD not in stored


def test_the_right_password_verifies_and_each_hash_has_its_own_salt(
    hasher: Argon2PasswordHasher, stored: str
) -> None:
    assert hasher.verify(stored, PASSWORD) is True
    assert hasher.hash(PASSWORD) != stored


@pytest.mark.parametrize(
    "password", ["correct horse battery stapl", PASSWORD + " ", "", PASSWORD.upper()]
)
def test_a_wrong_password_is_false(
    hasher: Argon2PasswordHasher, stored: str, password: str
) -> None:
    assert hasher.verify(stored, password) is False


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "garbage",
        "$argon2id$v=19$m=19456,t=2,p=1$notbase64!$abc",
        "$2b$12$abcdefghijklmnopqrstuu5Jk1D3f1Gqs6HbGvV9K3eX8zK1Zr3Xa",  # bcrypt
        "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$",
    ],
)
def test_a_malformed_hash_is_false_never_an_exception(
    hasher: Argon2PasswordHasher, garbage: str
) -> None:
    assert hasher.verify(garbage, PASSWORD) is False
    assert hasher.needs_rehash(garbage) is True


def test_an_unencodable_password_is_false(hasher: Argon2PasswordHasher, stored: str) -> None:
    assert hasher.verify(stored, "lone surrogate \udc80") is False


def test_needs_rehash_is_false_for_current_parameters(
    hasher: Argon2PasswordHasher, stored: str
) -> None:
    assert hasher.needs_rehash(stored) is False


@pytest.mark.parametrize(
    "old", [{"memory_cost": 4096, "time_cost": 3}, {"memory_cost": 19456, "time_cost": 1}]
)
def test_needs_rehash_is_true_for_older_parameters_which_still_verify(
    hasher: Argon2PasswordHasher, old: dict[str, Any]
) -> None:
    legacy = Argon2PasswordHasher(**old, allow_weak=True).hash(PASSWORD)
    assert hasher.verify(legacy, PASSWORD) is True
    assert hasher.needs_rehash(legacy) is True
    upgraded = hasher.hash(PASSWORD)
    assert hasher.needs_rehash(upgraded) is False


def test_raising_the_parameters_marks_the_old_hashes(stored: str) -> None:
    stronger = Argon2PasswordHasher(memory_cost=19456 * 2, time_cost=3)
    assert stronger.verify(stored, PASSWORD) is True
    assert stronger.needs_rehash(stored) is True


@pytest.mark.parametrize("weak", [{"memory_cost": 19455}, {"time_cost": 1}])
def test_parameters_below_the_floor_are_refused_unless_asked_for(weak: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="below"):
        Argon2PasswordHasher(**weak)
