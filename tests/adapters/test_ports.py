"""`build_container(settings, ports=Ports(...))`: a value given replaces the adapter it names."""

from __future__ import annotations

from pathlib import Path

from pricing_adapters.access_memory import InMemoryAuditLog, InMemoryUserStore
from pricing_adapters.bootstrap import Ports, build_container
from pricing_adapters.ratelimit_store import memory_counter_store
from pricing_adapters.requests_memory import InMemoryRequestStore
from pricing_core.access.audit import RequestInfo
from pricing_core.access.model import AuditQuery, Principal
from pricing_core.access.roles import Role
from tests.gear.clock import FakeClock
from tests.gear.worlds import settings_for
from tests.service.access.conftest import FakeHasher

PASSWORD = "correct horse battery staple 42"
ADMIN = Principal(role=Role.ADMIN, user_id="system:tests")


def test_given_ports_are_the_ones_the_use_cases_use(tmp_path: Path) -> None:
    clock, hasher, users, audit = FakeClock(), FakeHasher(), InMemoryUserStore(), InMemoryAuditLog()
    requests, counters = InMemoryRequestStore(), memory_counter_store()
    container = build_container(
        settings_for(tmp_path),
        ports=Ports(
            clock=clock,
            hasher=hasher,
            users=users,
            audit_log=audit,
            request_store=requests,
            counters=counters,
        ),
    )
    assert container.clock is clock
    assert container.requests.store is requests
    assert container.rate_limiter.store is counters
    user, _ = container.access.create_user(
        ADMIN,
        "ada@example.com",
        Role.VIEWER,
        "Ada",
        "correct horse battery staple 42",
        RequestInfo(),
    )
    assert users.get(user.id) == user  # stored where the test said
    assert user.password_hash.startswith("fake$")  # hashed by the given hasher
    assert user.created_at == clock.now()
    events, _ = audit.query(AuditQuery(actor=ADMIN.actor))
    assert events  # audited in the given log


def test_without_ports_the_settings_decide(tmp_path: Path) -> None:
    container = build_container(settings_for(tmp_path))
    assert type(container.requests.store) is InMemoryRequestStore
    assert type(container.access.users) is InMemoryUserStore
