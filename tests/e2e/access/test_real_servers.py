"""Checklist 13, 16 and 20 against real PostgreSQL and Redis: the refresh race, revocation
checks that fail closed, and an audit log the application cannot change."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from pricing_api.http.app import create_app
from tests.e2e.access.conftest import Api, bearer
from tests.gear.redis_keys import DEAD_REDIS_URL

pytestmark = pytest.mark.integration

ME = "/api/v1/auth/me"
RACERS = 10


def test_ten_concurrent_refreshes_with_one_token_let_exactly_one_through(pg_api: Api) -> None:
    """Checklist 13 and issue 11 item 2: one winner, and the winner's session lives on.

    Losers that read the token after the winner spent it lost a race within the grace
    window: refused, without revoking the family and without a theft audit row.
    """
    app = create_app(pg_api.container)
    for _ in range(3):  # three races, each on a new login
        user, tokens = pg_api.session()
        answers = asyncio.run(race(app, tokens["refresh_token"]))
        assert sorted(a.status_code for a in answers) == [200] + [401] * (RACERS - 1)
        rows = family_rows(pg_api, user.id)
        assert len(rows) == 2  # the login's token and exactly one child: no duplicates
        assert len({r.family_id for r in rows}) == 1
        assert [r.used for r in rows] == [True, False]
        assert [r.revoked for r in rows] == [False, False]
        assert pg_api.events(action="authn_token_reuse", actor=user.id) == []
        (winner,) = [a.json() for a in answers if a.status_code == 200]
        assert pg_api.client.get(ME, headers=bearer(winner["access_token"])).status_code == 200
        follow = {"refresh_token": winner["refresh_token"]}
        again = pg_api.client.post("/api/v1/auth/refresh", json=follow)
        assert again.status_code == 200, again.text  # the winner's new token still refreshes


async def race(app: Any, refresh_token: str) -> list[Any]:
    """RACERS refreshes with one token at once; the handlers run in worker threads."""
    async with AsyncTestClient(app) as client:
        body = {"refresh_token": refresh_token}
        return list(
            await asyncio.gather(
                *(client.post("/api/v1/auth/refresh", json=body) for _ in range(RACERS))
            )
        )


def family_rows(api: Api, user_id: str) -> list[Any]:
    assert api.container.engine is not None
    with api.container.engine.connect() as conn:
        return list(
            conn.execute(
                text(
                    "SELECT family_id, used_at IS NOT NULL AS used,"
                    " revoked_at IS NOT NULL AS revoked"
                    " FROM refresh_tokens WHERE user_id = :user ORDER BY created_at"
                ),
                {"user": user_id},
            ).all()
        )


@pytest.fixture
def dead_redis_api(make_api: Any, pg_api: Api) -> Api:
    """A second process on the same database whose Redis does not answer."""
    made: Api = make_api(database_url=_url(pg_api), PRICING_REDIS_URL=DEAD_REDIS_URL)
    return made


def _url(api: Api) -> str:
    assert api.container.engine is not None
    return api.container.engine.url.render_as_string(hide_password=False)


def test_with_redis_down_revocations_are_read_from_postgresql(
    pg_api: Api, dead_redis_api: Api
) -> None:
    _, tokens = pg_api.session()
    assert dead_redis_api.client.get(ME, headers=bearer(tokens["access_token"])).status_code == 200
    logout = dead_redis_api.client.post(
        "/api/v1/auth/logout", headers=bearer(tokens["access_token"])
    )
    assert logout.status_code == 204  # recorded in PostgreSQL, the truth
    assert dead_redis_api.client.get(ME, headers=bearer(tokens["access_token"])).status_code == 401


@pytest.fixture
def restricted_url(pg_api: Api) -> Iterator[str]:
    """The database as an application role that may not read revoked tokens and may only
    insert into and read the audit log (the grants migration 0002 recommends, less one)."""
    owner = pg_api.container.engine
    assert owner is not None
    role = f"pricing_app_{uuid.uuid4().hex[:8]}"
    grants = [
        f"CREATE ROLE {role} LOGIN",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON users, refresh_tokens, api_keys TO {role}",
        f"GRANT SELECT, INSERT ON audit_log TO {role}",
    ]
    with owner.begin() as conn:
        for statement in grants:
            conn.execute(text(statement))
    yield make_url(_url(pg_api)).set(username=role, password=None).render_as_string(False)
    with owner.begin() as conn:
        conn.execute(text(f"DROP OWNED BY {role}"))
        conn.execute(text(f"DROP ROLE {role}"))


def test_redis_down_and_revocations_unreadable_fail_closed(
    make_api: Any, pg_api: Api, restricted_url: str
) -> None:
    _, tokens = pg_api.session()
    blind: Api = make_api(
        database_url=restricted_url, migrate=False, PRICING_REDIS_URL=DEAD_REDIS_URL
    )
    response = blind.client.get(ME, headers=bearer(tokens["access_token"]))
    assert response.status_code in {401, 503}
    assert response.status_code == 503  # the documented answer: cannot check, so refuse
    assert response.json()["code"] == "revocation_unavailable"


def test_redis_and_database_down_answer_401_or_503(make_api: Any, pg_api: Api) -> None:
    _, tokens = pg_api.session()
    dead_db = make_url(_url(pg_api)).set(port=1).render_as_string(False)
    cut_off: Api = make_api(
        database_url=dead_db,
        migrate=False,
        PRICING_REDIS_URL=DEAD_REDIS_URL,
        PRICING_LOG_FORMAT="json",  # a readable traceback with locals takes seconds to render
    )
    response = cut_off.client.get(ME, headers=bearer(tokens["access_token"]))
    assert response.status_code != 200
    assert response.status_code in {401, 503}


def test_the_application_cannot_change_or_delete_audit_rows(
    pg_api: Api, restricted_url: str
) -> None:
    pg_api.session()  # writes an authn_login row
    owner = pg_api.container.engine
    assert owner is not None
    before = _audit(owner)
    assert before
    for statement in ("UPDATE audit_log SET action = 'nothing'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"), owner.begin() as conn:
            conn.execute(text(statement))
    app_role = create_engine(restricted_url)
    try:
        for statement in ("UPDATE audit_log SET action = 'nothing'", "DELETE FROM audit_log"):
            with pytest.raises(DBAPIError, match="permission denied"), app_role.begin() as conn:
                conn.execute(text(statement))
    finally:
        app_role.dispose()
    assert _audit(owner) == before


def _audit(engine: Any) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(text("SELECT * FROM audit_log ORDER BY id")).all())


def test_audit_rows_on_postgresql_are_utc_and_complete(pg_api: Api) -> None:
    user, tokens = pg_api.session()
    pg_api.client.get("/api/v1/auth/users", headers=bearer(tokens["access_token"]))
    rows = {r.action: r for r in _audit(pg_api.container.engine) if r.actor == user.id}
    for action in ("authn_login", "authz_fail"):
        row = rows[action]
        assert row.at.utcoffset().total_seconds() == 0
        assert (row.actor, row.ip) == (user.id, "testclient")
        assert row.request_id
        assert row.target_type
        assert row.outcome in {"success", "denied"}
