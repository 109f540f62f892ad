"""A change and its audit row commit together or not at all, on memory, SQLite and PostgreSQL.

The audit write fails for real. On SQL a trigger makes the database refuse the row, so the
statement errors inside the open transaction; on memory an audit store that refuses the row is
wired in through the composition root, inside the stores' unit of work. Each case first makes
the change with its audit row refused and finds nothing changed, then makes it again with the
audit log accepting rows, and finds the change there with exactly one audit row.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import attrs
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from pricing_adapters.access_memory import InMemoryAuditLog, InMemoryUserStore
from pricing_adapters.bootstrap import Container, Ports, build_container
from pricing_adapters.clock import FixedClock
from pricing_adapters.memory_uow import MemoryUnitOfWork
from pricing_adapters.settings import Settings
from pricing_adapters.sql.accounts import SqlUserStore
from pricing_adapters.sql.audit import SqlAuditLog
from pricing_adapters.sql.migrate import upgrade
from pricing_adapters.sql.unit_of_work import SqlUnitOfWork
from pricing_core.access.audit import Auditor, RequestInfo
from pricing_core.access.model import AuditEvent, AuditQuery, Outcome, Principal, User
from pricing_core.access.ports import AuditLog, UserStore
from pricing_core.access.roles import Role
from pricing_core.errors import InvalidToken, NotAuthenticated
from pricing_core.market.imports import ImportOutcome
from pricing_core.pricing.model import Match
from pricing_core.requests.inputs import PricingInputs
from pricing_core.requests.model import RequestQuery, RequestStatus
from tests.conftest import fresh_postgres_database
from tests.contract.conftest import EFFECTIVE, NAME, release, rows

NOW = datetime(2026, 1, 1, 12, tzinfo=UTC)
INFO = RequestInfo(ip="192.0.2.9", user_agent="uow-tests")
INPUTS = PricingInputs(
    matches=[Match(source=NAME, job_code="15-1252")], area="0041940", pricing_date=EFFECTIVE
)
PASSWORD = "a long and unusual passphrase 71"
NEW_PASSWORD = "another long unusual passphrase 93"


class AuditRefused(RuntimeError):
    """The in-memory audit store refused a row, as a database would by raising."""


@attrs.define
class RefusingAuditLog(AuditLog):
    """An audit store that refuses rows of the actions in `refused`, else stores them."""

    inner: AuditLog
    refused: set[str] = attrs.field(factory=set)

    def append(self, event: AuditEvent) -> None:
        if event.action in self.refused:
            raise AuditRefused(event.action)
        self.inner.append(event)

    def query(self, query: AuditQuery) -> tuple[Sequence[AuditEvent], int]:
        return self.inner.query(query)


# A row of `refused_audit_actions` makes the database refuse audit rows of that action.
SQLITE_REFUSAL = [
    "CREATE TABLE refused_audit_actions (action VARCHAR(64) PRIMARY KEY)",
    """CREATE TRIGGER refuse_audit_rows BEFORE INSERT ON audit_log
       WHEN NEW.action IN (SELECT action FROM refused_audit_actions)
       BEGIN SELECT RAISE(ABORT, 'audit row refused'); END""",
]
POSTGRES_REFUSAL = [
    "CREATE TABLE refused_audit_actions (action VARCHAR(64) PRIMARY KEY)",
    """CREATE FUNCTION refuse_audit_rows() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF EXISTS (SELECT 1 FROM refused_audit_actions WHERE action = NEW.action) THEN
           RAISE EXCEPTION 'audit row refused: %', NEW.action;
         END IF;
         RETURN NEW;
       END $$""",
    """CREATE TRIGGER refuse_audit_rows BEFORE INSERT ON audit_log
       FOR EACH ROW EXECUTE FUNCTION refuse_audit_rows()""",
]


@attrs.define
class Backend:
    """One backend built by the composition root, and the switch that refuses audit rows."""

    kind: str
    services: Container
    refuse: Callable[[str], None]
    accept_all: Callable[[], None]
    error: type[Exception]
    counter: int = 0

    def name(self, stem: str) -> str:
        """A name no other test of the module uses: the backend is shared."""
        self.counter += 1
        return f"{stem}{self.counter}"

    def rows(self, action: str, target_id: str) -> list[AuditEvent]:
        query = AuditQuery(action=action, target_id=target_id, limit=200)
        events, _ = self.services.access.audit_log.query(query)
        return list(events)


def _memory() -> Backend:
    uow = MemoryUnitOfWork()
    log = RefusingAuditLog(InMemoryAuditLog(uow=uow))
    settings = Settings.from_env({"PRICING_DATABASE_URL": "memory://"})
    ports = Ports(clock=FixedClock(NOW), unit_of_work=uow, audit_log=log)
    services = build_container(settings, ports=ports)
    return Backend("memory", services, log.refused.add, log.refused.clear, AuditRefused)


def _sql(kind: str, url: str, data_dir: str) -> Backend:
    settings = Settings.from_env({"PRICING_DATABASE_URL": url, "PRICING_DATA_DIR": data_dir})
    services = build_container(settings, ports=Ports(clock=FixedClock(NOW)))
    engine = services.engine
    assert engine is not None
    upgrade(engine)
    with engine.begin() as conn:
        for statement in SQLITE_REFUSAL if kind == "sqlite" else POSTGRES_REFUSAL:
            conn.execute(text(statement))

    def refuse(action: str) -> None:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO refused_audit_actions VALUES (:a)"), {"a": action})

    def accept_all() -> None:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM refused_audit_actions"))

    return Backend(kind, services, refuse, accept_all, DBAPIError)


@pytest.fixture(scope="module", params=["memory", "sqlite", "postgresql"])
def shared(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """One backend per kind for the module, with two versions of a small source loaded."""
    data_dir = tmp_path_factory.mktemp(f"uow-{request.param}")
    databases: Iterator[str] | None = None
    if request.param == "memory":
        backend = _memory()
    elif request.param == "sqlite":
        backend = _sql("sqlite", f"sqlite:///{data_dir / 'pricing.db'}", str(data_dir))
    else:
        databases = fresh_postgres_database(request.getfixturevalue("postgres_server"))
        backend = _sql("postgresql", next(databases), str(data_dir))
    for label, p50 in (("v1", "213110"), ("v2", "220000")):
        loaded = backend.services.market_loader.load(
            release(label, cut_rows=rows(p50)), imported_by="tests"
        )
        assert loaded.outcome is ImportOutcome.LOADED, loaded
    yield backend
    if backend.services.engine is not None:
        backend.services.engine.dispose()
    if databases is not None:
        next(databases, None)


@pytest.fixture
def backend(shared: Backend) -> Iterator[Backend]:
    """The module's backend; whatever a test refused is accepted again afterwards."""
    yield shared
    shared.accept_all()


def _refused(backend: Backend, action: str, change: Callable[[], object]) -> None:
    backend.refuse(action)
    with pytest.raises(backend.error):
        change()
    backend.accept_all()


# Pricing requests: each workflow step, refused and then accepted.


def _person(backend: Backend, role: Role) -> Principal:
    return Principal(role=role, user_id=backend.name(f"{role.value.lower()}-"))


def _draft(backend: Backend, owner: Principal) -> str:
    return backend.services.requests.create(owner, INPUTS, INFO).request.id


def _submitted(backend: Backend, owner: Principal) -> str:
    rid = _draft(backend, owner)
    backend.services.requests.submit(owner, rid, INFO)
    return rid


def _approved(backend: Backend, owner: Principal) -> str:
    rid = _submitted(backend, owner)
    manager = _person(backend, Role.HR_MANAGER)
    backend.services.requests.approve(manager, rid, INFO)
    return rid


REQUEST_STEPS: dict[str, tuple[Callable[[Backend, Principal], str] | None, Any]] = {
    # action: (what exists before, the change: (services, actor, request id) -> detail)
    "create": (None, lambda s, who, rid: s.create(who, INPUTS, INFO)),
    "edit": (_draft, lambda s, who, rid: s.edit(who, rid, INPUTS, INFO)),
    "submit": (_draft, lambda s, who, rid: s.submit(who, rid, INFO)),
    "approve": (
        _submitted,
        lambda s, who, rid: s.approve(Principal(role=Role.HR_MANAGER, user_id="mia"), rid, INFO),
    ),
    "reject": (
        _submitted,
        lambda s, who, rid: s.reject(
            Principal(role=Role.HR_MANAGER, user_id="mia"), rid, "too high", INFO
        ),
    ),
    "reprice": (_approved, lambda s, who, rid: s.reprice(who, rid, INFO)),
    "delete": (
        _draft,
        lambda s, who, rid: s.delete(Principal(role=Role.ADMIN, user_id="ada"), rid, INFO),
    ),
}


@pytest.mark.parametrize("step", list(REQUEST_STEPS))
def test_a_request_change_whose_audit_row_fails_is_not_kept(backend: Backend, step: str) -> None:
    services = backend.services.requests
    owner = _person(backend, Role.HR_ANALYST)
    setup, change = REQUEST_STEPS[step]
    rid = setup(backend, owner) if setup is not None else ""
    before = services.store.get(rid)
    history = services.store.history(rid)
    mine = RequestQuery(created_by=owner.user_id)
    _, drafts = services.store.list(mine)
    action = f"pricing_request_{step}"

    _refused(backend, action, lambda: change(services, owner, rid))

    assert services.store.get(rid) == before
    assert services.store.history(rid) == history
    assert services.store.list(mine)[1] == drafts  # no new draft (create, reprice)
    assert backend.rows(action, rid) == []

    detail = change(services, owner, rid)
    target = detail.request.id
    [row] = backend.rows(action, target)
    assert row.outcome is Outcome.SUCCESS
    assert services.store.history(target)[-1].id == detail.history[-1].id
    if rid and target == rid:
        assert services.store.get(rid).revision == before.revision + 1  # type: ignore[union-attr]


def test_a_request_kept_with_its_audit_row_reads_back_from_the_store(backend: Backend) -> None:
    services = backend.services.requests
    owner = _person(backend, Role.HR_ANALYST)
    rid = _submitted(backend, owner)
    stored = services.store.get(rid)
    assert stored is not None
    assert stored.status is RequestStatus.SUBMITTED
    assert [len(backend.rows(f"pricing_request_{a}", rid)) for a in ("create", "submit")] == [1, 1]


# Users, roles and API keys.


def _account(backend: Backend, role: Role = Role.HR_MANAGER) -> tuple[User, Principal]:
    admin = Principal(role=Role.ADMIN, user_id="root")
    email = f"{backend.name('person')}@example.com"
    user, _ = backend.services.access.create_user(admin, email, role, "Pat", PASSWORD, INFO)
    return user, Principal(role=user.role, user_id=user.id)


def _signed_in(backend: Backend, user: User) -> str:
    """A refresh token of a session of `user`: it still works while their sessions live."""
    return backend.services.access.login(user.email, PASSWORD, INFO).refresh_token


def test_creating_a_user_whose_audit_row_fails_creates_no_account(backend: Backend) -> None:
    access = backend.services.access
    admin = Principal(role=Role.ADMIN, user_id="root")
    email = f"{backend.name('new')}@example.com"

    _refused(
        backend,
        "user_create",
        lambda: access.create_user(admin, email, "VIEWER", "Val", PASSWORD, INFO),
    )
    assert access.users.by_email(email) is None

    user, _ = access.create_user(admin, email, "VIEWER", "Val", PASSWORD, INFO)
    assert access.users.by_email(email) == user
    assert len(backend.rows("user_create", user.id)) == 1


def test_a_role_change_whose_audit_row_fails_keeps_role_sessions_and_keys(
    backend: Backend,
) -> None:
    access = backend.services.access
    user, me = _account(backend, Role.ADMIN)
    key, raw = access.create_api_key(me, "sync", "ADMIN", INFO)
    refresh = _signed_in(backend, user)
    admin = Principal(role=Role.ADMIN, user_id="root")

    _refused(backend, "role_change", lambda: access.change_role(admin, user.id, "VIEWER", INFO))

    assert access.users.get(user.id) == user
    assert access.authenticate(raw, INFO).role is Role.ADMIN  # the key was not revoked
    assert backend.rows("apikey_revoke", key.id) == []
    refresh = access.refresh(refresh, INFO).refresh_token  # the session lives

    changed = access.change_role(admin, user.id, "VIEWER", INFO)
    assert changed.role is Role.VIEWER
    assert access.users.get(user.id) == changed
    assert len(backend.rows("role_change", user.id)) == 1
    assert len(backend.rows("apikey_revoke", key.id)) == 1
    with pytest.raises(InvalidToken):
        access.authenticate(raw, INFO)


def test_a_deactivation_whose_audit_row_fails_leaves_the_account_active(
    backend: Backend,
) -> None:
    access = backend.services.access
    user, _ = _account(backend)
    refresh = _signed_in(backend, user)
    admin = Principal(role=Role.ADMIN, user_id="root")

    _refused(backend, "user_deactivate", lambda: access.deactivate_user(admin, user.id, INFO))

    assert access.users.get(user.id) == user
    access.refresh(refresh, INFO)

    assert access.deactivate_user(admin, user.id, INFO).active is False
    assert access.users.get(user.id).active is False  # type: ignore[union-attr]
    assert len(backend.rows("user_deactivate", user.id)) == 1


def test_a_password_change_whose_audit_row_fails_keeps_the_old_password(
    backend: Backend,
) -> None:
    access = backend.services.access
    user, me = _account(backend)

    _refused(
        backend,
        "password_change",
        lambda: access.change_password(me, PASSWORD, NEW_PASSWORD, INFO),
    )

    assert access.users.get(user.id) == user
    access.login(user.email, PASSWORD, INFO)

    access.change_password(me, PASSWORD, NEW_PASSWORD, INFO)
    with pytest.raises(NotAuthenticated):
        access.login(user.email, PASSWORD, INFO)
    access.login(user.email, NEW_PASSWORD, INFO)
    assert len(backend.rows("password_change", user.id)) == 1


def test_an_api_key_whose_audit_row_fails_is_not_made(backend: Backend) -> None:
    access = backend.services.access
    _, me = _account(backend, Role.ADMIN)
    name = backend.name("key")

    _refused(backend, "apikey_create", lambda: access.create_api_key(me, name, "VIEWER", INFO))
    assert [k for k in access.list_api_keys(me) if k.name == name] == []

    key, raw = access.create_api_key(me, name, "VIEWER", INFO)
    assert access.authenticate(raw, INFO).api_key_id == key.id
    assert len(backend.rows("apikey_create", key.id)) == 1


def test_a_key_revocation_whose_audit_row_fails_leaves_the_key_working(
    backend: Backend,
) -> None:
    access = backend.services.access
    _, me = _account(backend, Role.ADMIN)
    key, raw = access.create_api_key(me, backend.name("key"), "VIEWER", INFO)

    _refused(backend, "apikey_revoke", lambda: access.revoke_api_key(me, key.id, INFO))
    assert access.authenticate(raw, INFO).api_key_id == key.id

    access.revoke_api_key(me, key.id, INFO)
    with pytest.raises(InvalidToken):
        access.authenticate(raw, INFO)
    assert len(backend.rows("apikey_revoke", key.id)) == 1


def test_a_profile_change_whose_audit_row_fails_keeps_the_old_name(backend: Backend) -> None:
    access = backend.services.access
    user, me = _account(backend)

    _refused(backend, "user_update", lambda: access.update_profile(me, "Renamed", INFO))
    assert access.users.get(user.id) == user

    access.update_profile(me, "Renamed", INFO)
    assert access.users.get(user.id).name == "Renamed"  # type: ignore[union-attr]
    assert len(backend.rows("user_update", user.id)) == 1


# The pricing policy.


def test_a_policy_change_whose_audit_row_fails_stores_no_version(backend: Backend) -> None:
    requests, policies = backend.services.requests, backend.services.policies
    admin = Principal(role=Role.ADMIN, user_id="root")
    before, history = policies.current(), list(policies.history())
    spread = "0.31" if before.range_spread != 0.31 else "0.32"

    _refused(
        backend,
        "policy_update",
        lambda: requests.update_policy(admin, {"range_spread": spread}, INFO),
    )
    assert policies.current() == before
    assert list(policies.history()) == history

    record = requests.update_policy(admin, {"range_spread": spread}, INFO)
    assert policies.current() == record.policy
    assert record.policy.version == before.version + 1
    assert len(backend.rows("policy_update", str(record.policy.version))) == 1


# Market activations: the admin store's switch and the audit row, in one unit of work.


def _activate(backend: Backend, label: str) -> None:
    services = backend.services
    auditor = Auditor(log=services.access.audit_log, clock=services.clock)
    with services.unit_of_work.transaction():
        services.market_admin.activate(NAME, label)
        auditor.record(
            "market_activate",
            Outcome.SUCCESS,
            INFO,
            actor="tests",
            target_type="market_source",
            target_id=NAME,
            detail={"version": label},
        )


def test_an_activation_whose_audit_row_fails_keeps_the_active_version(
    backend: Backend,
) -> None:
    market = backend.services.market
    active = market.source(NAME).active_version  # type: ignore[union-attr]
    other = "v1" if active == "v2" else "v2"
    rows = len(backend.rows("market_activate", NAME))

    _refused(backend, "market_activate", lambda: _activate(backend, other))
    assert market.source(NAME).active_version == active  # type: ignore[union-attr]
    assert [on for _, on in backend.services.market_admin.versions(NAME)].count(True) == 1

    _activate(backend, other)
    assert market.source(NAME).active_version == other  # type: ignore[union-attr]
    assert len(backend.rows("market_activate", NAME)) == rows + 1


# The unit of work itself, on the stores.


def _stores(backend: Backend) -> tuple[UserStore, AuditLog]:
    services = backend.services
    uow = services.unit_of_work
    if isinstance(uow, SqlUnitOfWork):
        return SqlUserStore(uow.engine, uow), SqlAuditLog(uow.engine, uow)
    assert isinstance(uow, MemoryUnitOfWork)
    return InMemoryUserStore(uow=uow), InMemoryAuditLog(uow=uow)


def _user(backend: Backend) -> User:
    name = backend.name("raw")
    return User(
        id=name, email=f"{name}@example.com", role=Role.VIEWER, password_hash="x", created_at=NOW
    )


def _event(target: str) -> AuditEvent:
    return AuditEvent(
        at=NOW, action="uow_test", outcome=Outcome.SUCCESS, actor="tests", target_id=target
    )


class Boom(Exception):
    pass


def test_a_nested_transaction_joins_the_outer_one(backend: Backend) -> None:
    users, log = _stores(backend)
    uow = backend.services.unit_of_work
    user = _user(backend)

    def fails_after_the_inner_one() -> None:
        with uow.transaction():
            with uow.transaction():
                users.add(user)
                log.append(_event(user.id))
            assert users.get(user.id) == user  # the transaction reads its own writes
            raise Boom

    with pytest.raises(Boom):
        fails_after_the_inner_one()
    assert users.get(user.id) is None
    assert log.query(AuditQuery(action="uow_test", target_id=user.id))[1] == 0

    with uow.transaction():
        users.add(user)
        log.append(_event(user.id))
    assert users.get(user.id) == user
    assert log.query(AuditQuery(action="uow_test", target_id=user.id))[1] == 1


def test_writes_outside_a_transaction_stand_on_their_own(backend: Backend) -> None:
    users, _ = _stores(backend)
    user = _user(backend)
    users.add(user)
    saved = attrs.evolve(user, name="Kept")
    users.save(saved)
    assert users.get(user.id) == saved


def test_memory_readers_wait_for_a_transaction_and_never_see_it_half_done() -> None:
    uow = MemoryUnitOfWork()
    users = InMemoryUserStore(uow=uow)
    user = User(
        id="u1", email="u1@example.com", role=Role.VIEWER, password_hash="x", created_at=NOW
    )
    reading, read = threading.Event(), threading.Event()
    seen: list[User | None] = []

    def reader() -> None:
        reading.set()
        seen.append(users.get(user.id))
        read.set()

    thread = threading.Thread(target=reader)

    def fails_while_read() -> None:
        with uow.transaction():
            users.add(user)
            thread.start()
            reading.wait()
            # The reader cannot finish while this transaction holds the stores' lock.
            assert not read.wait(0.2)
            raise Boom

    with pytest.raises(Boom):
        fails_while_read()
    thread.join()
    assert seen == [None]


def test_a_market_import_refuses_to_start_inside_a_transaction(backend: Backend) -> None:
    if backend.kind == "memory":
        pytest.skip("memory imports take part in nothing: they only add versions")
    services = backend.services
    with services.unit_of_work.transaction(), pytest.raises(RuntimeError, match="import"):
        services.market_loader.load(release("v9", cut_rows=rows("1")), imported_by="tests")
    assert [v.label for v, _ in services.market_admin.versions(NAME)] == ["v2", "v1"]
