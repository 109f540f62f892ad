"""Audit rows across the use cases: who, what, where, outcome; no secrets; CR/LF escaped."""

from __future__ import annotations

from datetime import UTC

import pytest

from pricing_core.access.accounts import RegistrationPolicy
from pricing_core.access.audit import RequestInfo
from pricing_core.access.model import AuditQuery, Outcome, Principal
from pricing_core.access.roles import Permission, Role
from pricing_core.errors import Forbidden, InvalidToken, NotAuthenticated
from tests.service.access.conftest import ADMIN_PASSWORD, INFO, USER_PASSWORD, make_world

SECRET_PASSWORD = "SECRET-XYZ correct horse"
WRONG_PASSWORD = "SECRET-WRONG guess guess"


def test_no_row_holds_a_password_token_or_key() -> None:
    world = make_world(registration=RegistrationPolicy(enabled=True))
    admin = world.add_user("admin@acme.test", ADMIN_PASSWORD, Role.ADMIN)
    user = world.register("jane@acme.test", SECRET_PASSWORD, "Jane", INFO)
    with pytest.raises(NotAuthenticated):
        world.login(user.email, WRONG_PASSWORD, INFO)
    pair = world.login(user.email, SECRET_PASSWORD, INFO)
    rotated = world.refresh(pair.refresh_token, INFO)
    world.clock.advance(minutes=1)  # past the grace for a lost race
    with pytest.raises(InvalidToken):
        world.refresh(pair.refresh_token, INFO)  # reuse
    acting = world.principal(admin)
    _, raw_key = world.create_key(acting, "etl", "VIEWER", INFO)
    world.authenticate(raw_key, INFO)
    with pytest.raises(InvalidToken):
        world.authenticate(raw_key[:-2] + "xx", INFO)
    again = world.login(user.email, SECRET_PASSWORD, INFO)
    fresh = world.change_password(
        world.authenticate(again.access_token, INFO), SECRET_PASSWORD, "SECRET-NEW horse", INFO
    )
    _, generated = world.create_user(acting, "gen@acme.test", "VIEWER", "G", None, INFO)
    secrets = [
        SECRET_PASSWORD, WRONG_PASSWORD, "SECRET-NEW", pair.access_token, pair.refresh_token,
        rotated.access_token, rotated.refresh_token, again.access_token, again.refresh_token,
        fresh.access_token, fresh.refresh_token, raw_key, generated or "?",
    ]  # fmt: skip
    events, total = world.audit.query(AuditQuery(limit=200))
    assert total == len(events) >= 10
    dump = "\n".join(repr(e) for e in events)
    leaked = [s for s in secrets if s in dump]
    assert not leaked
    assert {"authn_login", "authn_token_reuse", "apikey_create", "password_change"} <= {
        e.action for e in events
    }


def test_auth_rows_carry_time_actor_action_target_outcome_request_and_address() -> None:
    world = make_world()
    user = world.add_user("jane@acme.test")
    info = RequestInfo(ip="198.51.100.23", user_agent="Mozilla/5.0", request_id="req-42")
    world.login(user.email, USER_PASSWORD, info)
    world.record_denied(
        Principal(role=Role.VIEWER, user_id=user.id), Permission.MANAGE_USERS, "/users", info
    )
    for event in world.audit.query(AuditQuery())[0]:
        assert event.at.tzinfo is UTC
        assert event.id is not None
        assert event.actor == user.id
        assert event.action
        assert event.outcome
        assert event.target_type
        assert event.target_id
        assert (event.ip, event.user_agent, event.request_id) == (
            "198.51.100.23", "Mozilla/5.0", "req-42",
        )  # fmt: skip


def test_cr_and_lf_in_what_a_client_sends_are_escaped() -> None:
    world = make_world()
    info = RequestInfo(ip="10.0.0.1", user_agent="bot\r\nINFO forged", request_id="r\n2")
    with pytest.raises(NotAuthenticated):
        world.login("eve\r\nINFO admin logged in@acme.test", "whatever it is", info)
    (event,) = world.audit.query(AuditQuery(action="authn_login"))[0]
    for text in (event.user_agent, event.request_id, str(event.detail["email"])):
        assert "\r" not in text
        assert "\n" not in text
    assert event.detail["email"] == "eve\\r\\ninfo admin logged in@acme.test"
    assert event.user_agent == "bot\\r\\nINFO forged"


def test_reading_the_audit_log_filters_and_pages_newest_first() -> None:
    world = make_world()
    admin = world.add_user("admin@acme.test", ADMIN_PASSWORD, Role.ADMIN)
    for _ in range(3):
        world.clock.advance(seconds=1)
        with pytest.raises(NotAuthenticated):
            world.login("admin@acme.test", "a wrong password", INFO)
    world.clock.advance(seconds=1)
    acting = world.principal(admin)
    failures = AuditQuery(action="authn_login", outcome=Outcome.FAILURE, limit=2)
    page, total = world.read_audit(acting, failures)
    assert total == 3
    assert len(page) == 2
    assert page[0].at > page[1].at
    rest, _ = world.read_audit(
        acting, AuditQuery(action="authn_login", outcome=Outcome.FAILURE, offset=2)
    )
    assert len(rest) == 1
    assert rest[0].at < page[1].at
    with pytest.raises(Forbidden):
        world.read_audit(Principal(role=Role.HR_MANAGER, user_id="m"), AuditQuery())
