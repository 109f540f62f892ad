"""`pricing db roles` on a real PostgreSQL (issue 11, item 7): the audit log stays append-only
even for a compromised application, because the application's role does not own it.

As the table's owner, `ALTER TABLE audit_log DISABLE TRIGGER ALL` and then `DELETE` work;
as the runtime role the command creates, neither does, nor UPDATE or TRUNCATE, while the
application itself (log in, import, quote, audit rows) works under it. /ready warns when
the application runs as a superuser or the owner.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from click.testing import CliRunner
from litestar.testing import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from pricing_adapters.bootstrap import build_container
from pricing_adapters.sql.engine import normalise_url
from pricing_api.cli import cli
from pricing_api.http.app import create_app
from tests.e2e.api.conftest import AREAS, SURVEY, Api, open_api
from tests.gear.worlds import settings_for

pytestmark = pytest.mark.integration

QUOTE = {
    "matches": [{"source": "mercer-2025", "job_code": "ENG-SWE-P3"}],
    "area": "San Jose",
    "date": "2026-01-01",
}
REFUSED = {
    "DELETE FROM audit_log": "permission denied",
    "UPDATE audit_log SET action = 'nothing'": "permission denied",
    "TRUNCATE audit_log": "permission denied",
    "ALTER TABLE audit_log DISABLE TRIGGER ALL": "must be owner",
    "DROP TRIGGER audit_log_no_change ON audit_log": "must be owner",
    "DROP TABLE audit_log": "must be owner",
}


@attrs.frozen
class Roles:
    admin: str  # the database as the superuser the tests connect as
    owner: str
    runtime: str

    def url(self, role: str) -> str:
        return make_url(self.admin).set(username=role, password=None).render_as_string(False)


@pytest.fixture
def roles(postgres_url: str) -> Iterator[Roles]:
    """Role names of this test's own (roles are cluster-wide), dropped afterwards."""
    tag = uuid.uuid4().hex[:8]
    found = Roles(admin=normalise_url(postgres_url), owner=f"t_{tag}_owner", runtime=f"t_{tag}_app")
    yield found
    admin = create_engine(found.admin, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for role in (found.runtime, found.owner):
            exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role})
            if exists.first():
                conn.execute(text(f"REASSIGN OWNED BY {role} TO CURRENT_USER"))
                conn.execute(text(f"DROP OWNED BY {role}"))
                conn.execute(text(f"DROP ROLE {role}"))
    admin.dispose()


def db_roles(roles: Roles, *extra: str) -> Any:
    result = CliRunner().invoke(
        cli,
        ["db", "roles", "--owner", roles.owner, "--runtime", roles.runtime, *extra],
        env={"PRICING_DATABASE_URL": roles.admin, "PRICING_BUNDLED_DATA": "false"},
    )
    assert result.exit_code == 0, result.output
    return result


def as_role(url: str, statement: str) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text(statement))
    finally:
        engine.dispose()


def audit_rows(url: str) -> list[Any]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text("SELECT id, action FROM audit_log ORDER BY id")).all())
    finally:
        engine.dispose()


@pytest.fixture
def runtime_api(roles: Roles, tmp_path: Path) -> Iterator[Api]:
    """The application as the runtime role, migrating as the owner."""
    db_roles(roles)
    settings = settings_for(
        tmp_path,
        roles.url(roles.runtime),
        PRICING_BUNDLED_DATA="false",
        PRICING_MIGRATION_DATABASE_URL=roles.url(roles.owner),
    )
    yield from open_api(settings, areas=AREAS)


def test_the_command_creates_the_roles_once_and_says_what_it_did(roles: Roles) -> None:
    first = db_roles(roles).output
    assert f"role {roles.owner}: created" in first
    assert f"role {roles.runtime}: created" in first
    assert f"table audit_log: owner postgres -> {roles.owner}" in first
    assert f"PRICING_DATABASE_URL=postgresql+psycopg://{roles.runtime}@" in first
    second = db_roles(roles).output
    assert f"role {roles.owner}: exists" in second
    assert f"role {roles.runtime}: exists" in second
    assert "-> " not in second  # nothing left to hand over
    assert f"already belongs to {roles.owner}" in second
    generated = db_roles(roles, "--generate-passwords").output
    assert f"role {roles.runtime}: new password set" in generated
    shown = [line for line in generated.splitlines() if "PRICING_DATABASE_URL=" in line]
    assert make_url(shown[0].split("=", 1)[1]).password  # printed once, to be stored


def test_the_runtime_role_cannot_delete_change_truncate_or_disable_the_audit_log(
    runtime_api: Api, roles: Roles
) -> None:
    before = audit_rows(roles.admin)
    assert before  # the logins of open_api wrote their rows as the runtime role
    for statement, refusal in REFUSED.items():
        with pytest.raises(DBAPIError, match=refusal):
            as_role(roles.url(roles.runtime), statement)
    assert audit_rows(roles.admin) == before
    # The owner could: that is why the application must not run as it.
    as_role(roles.url(roles.owner), "ALTER TABLE audit_log DISABLE TRIGGER ALL")
    as_role(roles.url(roles.owner), "ALTER TABLE audit_log ENABLE TRIGGER ALL")


def test_the_application_works_as_the_runtime_role(runtime_api: Api, roles: Roles) -> None:
    api = runtime_api
    upload = api.upload(SURVEY, label="nov")
    assert upload.status_code == 200, upload.text  # COPY into market data as the runtime role
    quote = api.quote(QUOTE)
    assert quote.status_code == 200, quote.text
    assert quote.json()["dataset_versions"] == {"mercer-2025": "nov"}
    login = api.client.post(
        "/api/v1/auth/login", json={"email": "viewer@example.com", "password": "wrong password!!"}
    )
    assert login.status_code == 401
    actions = [action for _, action in audit_rows(roles.admin)]
    assert "market_import" in actions
    assert actions[-1] == "authn_login"  # the failed login, written as the runtime role
    ready = api.client.get("/ready")
    assert (ready.json()["status"], ready.json()["warnings"]) == ("ok", [])


def test_ready_warns_when_the_application_runs_as_a_superuser_or_the_owner(
    runtime_api: Api, roles: Roles, tmp_path: Path
) -> None:
    for url, word in ((roles.admin, "superuser"), (roles.url(roles.owner), "owns")):
        other = build_container(settings_for(tmp_path, url, PRICING_BUNDLED_DATA="false"))
        with TestClient(create_app(other)) as client:
            ready = client.get("/ready")
        assert other.engine is not None
        other.engine.dispose()
        assert ready.status_code == 200
        assert ready.json()["status"] == "ok"  # it works; it is not hardened
        (warning,) = ready.json()["warnings"]
        assert word in warning
        assert "docs/database-roles.md" in warning
