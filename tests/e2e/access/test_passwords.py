"""Checklist 1–3 over HTTP: password length in code points, common and context words, and
argon2id storage with an upgrade of old hashes at login."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from sqlalchemy import text

from pricing_adapters.argon2_hasher import Argon2PasswordHasher
from tests.e2e.access.conftest import PASSWORD, Api, ApiFactory, bearer
from tests.gear.clock import FakeClock

REGISTER = "/api/v1/auth/register"
CHANGE = "/api/v1/auth/me/change-password"
COMPANY = "Acme Corp"
PHC = re.compile(r"\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+")

ACCEPTED = {
    "15 letters with a space": "tangerine kayak",
    "15 emoji (60 bytes)": "🍊🛶🌋🦉🎻🐙🌵🧭🍀🔥🎲🎯🪐🦊🐍",
    "15 accented letters (30 bytes)": "éàèùâêîôûëïüçœæ",
    "spaces and punctuation": "  a b c d e f g !  ",
    "128 code points": "-".join(f"{w}{n}" for n, w in enumerate(["lantern", "orbit"] * 12))[:128],
}
REJECTED = {
    "14 letters": ("tangerine kaya", "at least 15"),
    "14 emoji (56 bytes)": ("🍊🛶🌋🦉🎻🍊🛶🌋🦉🎻🍊🛶🌋🦉", "at least 15"),
    "14 accented letters (28 bytes)": ("é" * 14, "at least 15"),
    "129 code points": (("lantern " * 17)[:129], "at most 128"),
}


@pytest.fixture(scope="module")
def open_app(make_module_api: ApiFactory) -> Api:
    """Self-registration on, and the company's and product's names as context words."""
    return make_module_api(
        clock=FakeClock(),
        PRICING_REGISTRATION_ENABLED="true",
        PRICING_PASSWORD_CONTEXT_WORDS=f"{COMPANY},payroll",
    )


def newcomer() -> str:
    """A new address whose name part (before the +tag) is "newcomer"."""
    return f"newcomer+{uuid.uuid4().hex[:8]}@example.com"


def register(api: Api, password: str, email: str) -> Any:
    return api.client.post(REGISTER, json={"email": email, "password": password})


def password_error(response: Any) -> str:
    assert response.status_code == 422, response.text
    body = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in body["errors"]] == ["password"]
    message: str = body["errors"][0]["message"]
    return message


@pytest.mark.parametrize("password", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_register_accepts_any_15_to_128_code_points(open_app: Api, password: str) -> None:
    email = newcomer()
    response = register(open_app, password, email)
    assert response.status_code == 201, response.text
    assert response.json()["role"] == "VIEWER"
    assert open_app.login(email, password)["token_type"] == "bearer"


@pytest.mark.parametrize(("password", "reason"), REJECTED.values(), ids=REJECTED.keys())
def test_register_refuses_lengths_outside_15_to_128(
    open_app: Api, password: str, reason: str
) -> None:
    email = newcomer()
    assert reason in password_error(register(open_app, password, email))
    assert open_app.container.access.users.by_email(email) is None


@pytest.mark.parametrize(
    ("new", "status"),
    [
        ("🍊🛶🌋🦉🎻🐙🌵🧭🍀🔥🎲🎯🪐🦊🐍", 200),
        ("é" * 14, 422),
        ("a longer passphrase with spaces", 200),
    ],
    ids=["15 emoji", "14 accented", "spaces"],
)
def test_change_password_applies_the_same_length_rule(api: Api, new: str, status: int) -> None:
    user, tokens = api.session()
    response = api.client.post(
        CHANGE,
        json={"current_password": PASSWORD, "new_password": new},
        headers=bearer(tokens["access_token"]),
    )
    assert response.status_code == status, response.text
    if status == 200:
        api.login(user.email, new)
    else:
        assert "at least 15" in password_error(response)
        api.login(user.email, PASSWORD)  # unchanged


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Password123456789", "too common"),
        ("1qaz2wsx3edc4rfv", "too common"),  # a 16-character entry of the shipped list
        ("AcmeCorp-welcome-2024", "company"),
        ("payroll-admin-2024", "company"),
        ("newcomer is my name, ok", "email"),
    ],
)
def test_common_and_context_passwords_are_refused_with_a_reason(
    open_app: Api, password: str, reason: str
) -> None:
    message = password_error(register(open_app, password, newcomer()))
    assert reason in message
    assert password not in message  # the reason never repeats the password


def change(api: Api, tokens: dict[str, Any], new: str, current: str = PASSWORD) -> Any:
    return api.client.post(
        CHANGE,
        json={"current_password": current, "new_password": new},
        headers=bearer(tokens["access_token"]),
    )


@pytest.mark.parametrize(
    ("password", "rule"),
    [
        (" " * 15, "repetitive"),
        ("aaaaaaaaaaaaaaa", "repetitive"),
        ("123456789012345", "sequential"),
        ("passwordpassword", "common"),
        ("payroll-admin-2024", "context"),
        (PASSWORD, "reused"),
    ],
    ids=["15-spaces", "15-a", "digits", "passwordpassword", "payroll-admin", "current"],
)
def test_the_weak_passwords_of_issue_11_are_refused_by_default(
    api: Api, password: str, rule: str
) -> None:
    """Default settings (no context words configured): each answers 422 naming its rule."""
    user, tokens = api.session()
    response = change(api, tokens, password)
    password_error(response)
    assert response.json()["rule"] == rule
    api.login(user.email, PASSWORD)  # unchanged


def test_the_users_own_name_is_refused(api: Api) -> None:
    user, tokens = api.session(name="Philippa Quartermaine")
    response = change(api, tokens, "quartermaine tulip orbit")
    assert "your name" in password_error(response)
    assert response.json()["rule"] == "name"
    api.login(user.email, PASSWORD)


def test_context_words_count_at_change_password_too(open_app: Api) -> None:
    _, tokens = open_app.session()
    response = open_app.client.post(
        CHANGE,
        json={"current_password": PASSWORD, "new_password": "the acme corp intranet"},
        headers=bearer(tokens["access_token"]),
    )
    assert "company" in password_error(response)


def stored_hash(api: Api, email: str) -> str:
    assert api.container.engine is not None
    with api.container.engine.connect() as conn:
        found: str = conn.execute(
            text("SELECT password_hash FROM users WHERE email = :email"), {"email": email}
        ).scalar_one()
    return found


def parameters(phc: str) -> tuple[int, int, int]:
    match = PHC.fullmatch(phc)
    assert match, phc
    m, t, p = (int(g) for g in match.groups())
    return m, t, p


def test_hash_is_argon2id_at_owasp_parameters_and_old_ones_are_upgraded_at_login(
    make_api: Any, sqlite_url: str
) -> None:
    api: Api = make_api(database_url=sqlite_url, PRICING_REGISTRATION_ENABLED="true")
    email = "stored@example.com"
    assert register(api, PASSWORD, email).status_code == 201
    m, t, p = parameters(stored_hash(api, email))
    assert m >= 19456
    assert t >= 2
    assert p >= 1

    old = Argon2PasswordHasher(memory_cost=4096, time_cost=1, allow_weak=True).hash(PASSWORD)
    assert api.container.engine is not None
    with api.container.engine.begin() as conn:
        conn.execute(
            text("UPDATE users SET password_hash = :h WHERE email = :e"), {"h": old, "e": email}
        )
    before = stored_hash(api, email)
    assert parameters(before)[:2] == (4096, 1)

    api.login(email)
    after = stored_hash(api, email)
    assert after != before
    m, t, _ = parameters(after)
    assert m >= 19456
    assert t >= 2
    assert Argon2PasswordHasher().verify(after, PASSWORD)
    api.login(email)  # the upgraded hash still opens the account
    assert stored_hash(api, email) == after  # and is not rehashed again
