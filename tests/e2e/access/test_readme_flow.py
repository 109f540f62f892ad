"""The README's first steps: no account exists until the command line makes the first
administrator; that administrator logs in over HTTP, creates users, and each role sees
exactly its permissions from access.md's table."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from litestar.testing import TestClient

from pricing_adapters.bootstrap import Container, build_container
from pricing_api.cli import cli
from pricing_api.http.app import create_app
from pricing_core.access.model import AuditQuery
from tests.e2e.access.conftest import bearer, settings_for

ADMIN_EMAIL = "root@example.com"
ADMIN_PASSWORD = "the first administrator's passphrase"

# access.md, "Roles and permissions", as written there.
ACCESS_TABLE = """
| permission | VIEWER | HR_ANALYST | HR_MANAGER | ADMIN |
|---|:-:|:-:|:-:|:-:|
| VIEW_JOB_PRICING | x | x | x | x |
| VIEW_SALARY_RECOMMENDATIONS | x | x | x | x |
| VIEW_EXTERNAL_DATA | x | x | x | x |
| CREATE_JOB_PRICING |  | x | x | x |
| UPDATE_JOB_PRICING |  | x | x | x |
| USE_AI_GENERATION |  | x | x | x |
| VIEW_HRIS_DATA |  | x | x | x |
| VIEW_APPLICANTS |  | x | x | x |
| APPROVE_SALARY_RECOMMENDATIONS |  |  | x | x |
| MANAGE_APPLICANTS |  |  | x | x |
| DELETE_JOB_PRICING |  |  |  | x |
| REFRESH_EXTERNAL_DATA |  |  |  | x |
| MANAGE_HRIS_INTEGRATION |  |  |  | x |
| VIEW_SYSTEM_LOGS |  |  |  | x |
| MANAGE_USERS |  |  |  | x |
| MANAGE_ROLES |  |  |  | x |
| MANAGE_SETTINGS |  |  |  | x |
| IMPORT_MARKET_DATA |  |  |  | x |
| MANAGE_API_KEYS |  |  |  | x |
| MANAGE_BACKUPS |  |  |  | x |
"""


def table() -> dict[str, list[str]]:
    """Role → its permissions, in the table's order."""
    lines = [line for line in ACCESS_TABLE.strip().splitlines() if line.startswith("| ")]
    roles = [cell.strip() for cell in lines[0].strip("|").split("|")][1:]
    held: dict[str, list[str]] = {role: [] for role in roles}
    for line in lines[1:]:
        name, *marks = (cell.strip() for cell in line.strip("|").split("|"))
        for role, mark in zip(roles, marks, strict=True):
            if mark == "x":
                held[role].append(name)
    return held


@pytest.fixture
def container(tmp_path: Path) -> Container:
    return build_container(settings_for(tmp_path, f"sqlite:///{tmp_path / 'first.db'}"))


def run(container: Container, *args: str, stdin: str = "") -> Any:
    return CliRunner().invoke(cli, list(args), input=stdin, obj=container)


def test_first_administrator_from_the_command_line_then_everything_over_http(
    container: Container,
) -> None:
    listed = run(container, "users", "list", "--json")
    assert listed.exit_code == 0, listed.output
    assert json.loads(listed.stdout) == []  # no default account

    made = run(
        container,
        "users",
        "create-admin",
        ADMIN_EMAIL,
        "--name",
        "Root",
        stdin=ADMIN_PASSWORD + "\n",
    )
    assert made.exit_code == 0, made.output
    assert ADMIN_PASSWORD not in made.output
    creation = container.access.audit_log.query(AuditQuery(action="user_create"))[0]
    assert [(e.actor, e.detail["role"]) for e in creation] == [("system:cli", "ADMIN")]

    with TestClient(create_app(container)) as client:
        login = client.post(
            "/api/v1/auth/login", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
        )
        assert login.status_code == 200, login.text
        admin = bearer(login.json()["access_token"])

        passwords = {"ADMIN": ADMIN_PASSWORD}
        for role in ("VIEWER", "HR_ANALYST", "HR_MANAGER"):
            email = f"{role.lower().replace('_', '-')}@example.com"
            created = client.post(
                "/api/v1/auth/users", json={"email": email, "role": role}, headers=admin
            )
            assert created.status_code == 201, created.text
            assert created.json()["role"] == role
            assert "password_hash" not in created.text
            passwords[role] = created.json()["one_time_password"]

        expected = table()
        assert {role: len(held) for role, held in expected.items()} == {
            "VIEWER": 3,
            "HR_ANALYST": 8,
            "HR_MANAGER": 10,
            "ADMIN": 20,
        }
        for role, password in passwords.items():
            email = (
                ADMIN_EMAIL if role == "ADMIN" else f"{role.lower().replace('_', '-')}@example.com"
            )
            tokens = client.post(
                "/api/v1/auth/login", json={"email": email, "password": password}
            ).json()
            # A generated password is one-time: the new user changes it before anything else.
            assert tokens["password_change_required"] is (role != "ADMIN")
            if tokens["password_change_required"]:
                tokens = client.post(
                    "/api/v1/auth/me/change-password",
                    json={"current_password": password, "new_password": "tulip orbit lantern"},
                    headers=bearer(tokens["access_token"]),
                ).json()
            answer = client.get(
                "/api/v1/auth/me/permissions", headers=bearer(tokens["access_token"])
            )
            assert answer.json() == {"role": role, "permissions": expected[role]}

    listed = run(container, "users", "list", "--json")
    rows = json.loads(listed.stdout)
    assert [r["role"] for r in rows] == ["ADMIN", "VIEWER", "HR_ANALYST", "HR_MANAGER"]
    assert all(not {"password", "password_hash"} & set(row) for row in rows)
    assert all("$argon2" not in str(value) for row in rows for value in row.values())


def test_users_list_json_is_the_apis_user_shape(container: Container) -> None:
    """`pricing users list --json` prints each account exactly as GET /auth/users answers it
    (same fields, timestamps ending `Z`): one shape, so the two cannot drift apart."""
    made = run(container, "users", "create-admin", ADMIN_EMAIL, stdin=ADMIN_PASSWORD + "\n")
    assert made.exit_code == 0, made.output
    assert (
        run(
            container, "users", "create", "v@example.com", "--role", "VIEWER", "--generate"
        ).exit_code
        == 0
    )
    with TestClient(create_app(container)) as client:
        login = client.post(
            "/api/v1/auth/login", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
        )
        answer = client.get("/api/v1/auth/users", headers=bearer(login.json()["access_token"]))
        assert answer.status_code == 200, answer.text
    listed = run(container, "users", "list", "--json")
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.stdout)
    assert rows == answer.json()["items"]
    assert len(rows) == 2
    assert all(row["created_at"].endswith("Z") for row in rows)


def test_create_reads_the_first_line_of_stdin_and_generate_prints_once(
    container: Container,
) -> None:
    chosen = run(
        container,
        "users",
        "create",
        "analyst@example.com",
        "--role",
        "hr_analyst",
        stdin="a passphrase with trailing spaces  \nignored second line\n",
    )
    assert chosen.exit_code == 0, chosen.output
    generated = run(
        container, "users", "create", "viewer@example.com", "--role", "VIEWER", "--generate"
    )
    assert generated.exit_code == 0, generated.output
    shown = generated.stdout.split("one-time password (shown once): ")[1].strip()
    assert len(shown) >= 20

    with TestClient(create_app(container)) as client:
        for email, password in (
            ("analyst@example.com", "a passphrase with trailing spaces  "),
            ("viewer@example.com", shown),
        ):
            answer = client.post("/api/v1/auth/login", json={"email": email, "password": password})
            assert answer.status_code == 200, (email, answer.text)

    too_short = run(
        container, "users", "create", "x@example.com", "--role", "VIEWER", stdin="short\n"
    )
    assert too_short.exit_code != 0
    assert "at least 15" in too_short.output
    empty = run(container, "users", "create-admin", "y@example.com", stdin="")
    assert empty.exit_code != 0
    assert "--generate" in empty.output
    taken = run(container, "users", "create-admin", "ANALYST@example.com", "--generate")
    assert taken.exit_code != 0
