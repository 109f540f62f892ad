"""Audit rows: escaping of caller-supplied text (checklist 20) and the two audit use cases."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pricing_core.access.audit import (
    MAX_TEXT,
    Auditor,
    ReadAudit,
    RecordDenied,
    RequestInfo,
    escape,
)
from pricing_core.access.model import AuditEvent, AuditQuery, Outcome, Principal
from pricing_core.access.roles import Permission, Role
from pricing_core.errors import Forbidden
from tests.gear.clock import FakeClock

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


class ListLog:
    def __init__(self) -> None:
        self.events: list[AuditEvent] = []

    def append(self, event: AuditEvent) -> None:
        self.events.append(event)

    def query(self, query: AuditQuery) -> tuple[Sequence[AuditEvent], int]:
        return self.events[::-1][query.offset : query.offset + query.limit], len(self.events)


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("alice\r\nINFO admin logged in", "alice\\r\\nINFO admin logged in"),
        ("tab\there", "tab\\there"),
        ("back\\slash", "back\\\\slash"),
        ("a\u2028b\x85c\x00d\x1b", "a\\u2028b\\u0085c\\u0000d\\u001b"),
        ("plain ünïcode 🔑", "plain ünïcode 🔑"),
    ],
)
def test_escape(raw: str, escaped: str) -> None:
    assert escape(raw) == escaped


def test_escape_cuts_long_text() -> None:
    assert len(escape("x" * 10_000)) == MAX_TEXT


@given(st.text())
def test_escaped_text_is_one_line(text: str) -> None:
    escaped = escape(text)
    assert "\r" not in escaped
    assert "\n" not in escaped
    assert not any(ord(ch) < 0x20 for ch in escaped)
    assert len(escaped) <= MAX_TEXT


def test_the_auditor_escapes_every_caller_supplied_field_and_stamps_the_time() -> None:
    log = ListLog()
    info = RequestInfo(ip="10.0.0.1\n", user_agent="curl\r\nX-Forged: 1", request_id="r\n1")
    Auditor(log=log, clock=FakeClock(NOW)).record(
        "authn_login",
        Outcome.FAILURE,
        info,
        target_type="user",
        target_id="id\n2",
        detail={"email": "eve\r\n@x.io", "nested": {"k\n": ["v\r"]}, "count": 3},
    )
    (event,) = log.events
    assert event.at == NOW
    assert event.at.tzinfo is UTC
    assert event.user_agent == "curl\\r\\nX-Forged: 1"
    assert (event.ip, event.request_id, event.target_id) == ("10.0.0.1\\n", "r\\n1", "id\\n2")
    assert event.detail == {"email": "eve\\r\\n@x.io", "nested": {"k\\n": ["v\\r"]}, "count": 3}


def test_read_audit_needs_view_system_logs() -> None:
    log = ListLog()
    read = ReadAudit(log=log)
    with pytest.raises(Forbidden):
        read(Principal(role=Role.HR_MANAGER, user_id="m"), AuditQuery())
    assert read(Principal(role=Role.ADMIN, user_id="a"), AuditQuery()) == ([], 0)


def test_record_denied_writes_an_authz_fail_row() -> None:
    log = ListLog()
    record = RecordDenied(auditor=Auditor(log=log, clock=FakeClock(NOW)))
    info = RequestInfo(ip="10.0.0.1", user_agent="ua", request_id="req-1")
    record(Principal(role=Role.VIEWER, user_id="v1"), Permission.MANAGE_USERS, "/users", info)
    (event,) = log.events
    assert (event.action, event.outcome, event.actor) == ("authz_fail", Outcome.DENIED, "v1")
    assert (event.target_type, event.target_id) == ("route", "/users")
    assert (event.ip, event.request_id) == ("10.0.0.1", "req-1")
    assert event.detail == {"permission": "MANAGE_USERS", "role": "VIEWER"}
