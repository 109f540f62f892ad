"""Registration, accounts made by an admin, reading users, and the one changeable field."""

from __future__ import annotations

import pytest

from pricing_core.access.accounts import RegistrationPolicy
from pricing_core.access.model import Principal, User
from pricing_core.access.roles import Role
from pricing_core.errors import EmailTaken, Forbidden, InvalidRequest, NotFound
from tests.service.access.conftest import INFO, USER_PASSWORD, World, make_world

OPEN = RegistrationPolicy(enabled=True, allowed_domains=frozenset({"Acme.test"}))


def test_registration_is_off_by_default(world: World) -> None:
    with pytest.raises(Forbidden):
        world.register("new@acme.test", USER_PASSWORD, "New", INFO)
    assert world.users.list(0, 10)[1] == 0


def test_registered_users_are_viewers_of_allowed_domains() -> None:
    world = make_world(registration=OPEN)
    user = world.register("New.Person@ACME.test", USER_PASSWORD, "  New Person ", INFO)
    assert (user.email, user.name, user.role) == ("new.person@acme.test", "New Person", Role.VIEWER)
    assert user.password_hash != USER_PASSWORD
    assert world.hasher.verify(user.password_hash, USER_PASSWORD)
    world.login("new.person@acme.test", USER_PASSWORD, INFO)
    with pytest.raises(InvalidRequest, match="domain"):
        world.register("someone@elsewhere.test", USER_PASSWORD, "X", INFO)
    with pytest.raises(EmailTaken):
        world.register("NEW.person@acme.test", "another long passphrase", "Again", INFO)
    assert [e.target_id for e in world.events("user_register")] == [user.id]


@pytest.mark.parametrize(
    "password",
    [
        "mauve tulip orbit",
        "correct horse battery staple",
        "   orbit   tulip   ",
        "🔑🔒🗝🚪🏠🦊🐍🌵🌊🍀🔥🎲🎯🧭🪐",
        "-".join(f"orbit{n}" for n in range(30))[:128],
    ],
)
def test_registration_accepts_any_composition(password: str) -> None:
    make_world(registration=OPEN).register("x@acme.test", password, "X", INFO)


@pytest.mark.parametrize(
    ("password", "reason"),
    [("a" * 14, "at least 15"), ("p" * 129, "at most 128"), ("Password123456789", "too common"),
     ("acme-admin-2024-rules", "company")],
)  # fmt: skip
def test_registration_applies_the_password_policy(password: str, reason: str) -> None:
    world = make_world(registration=OPEN)
    with pytest.raises(InvalidRequest, match=reason) as caught:
        world.register("x@acme.test", password, "X", INFO)
    assert caught.value.field == "password"
    assert password not in str(caught.value)
    assert world.users.list(0, 10)[1] == 0


@pytest.mark.parametrize(
    "email", ["no-at-sign", "@acme.test", "a@b", "a b@acme.test", "x\n@acme.test"]
)
def test_registration_checks_the_email(email: str) -> None:
    with pytest.raises(InvalidRequest, match="email"):
        make_world(registration=OPEN).register(email, USER_PASSWORD, "X", INFO)


def test_an_admin_creates_an_account_with_a_generated_password(world: World, admin: User) -> None:
    user, generated = world.create_user(
        world.principal(admin), "new@acme.test", "HR_MANAGER", "N", None, INFO
    )
    assert generated is not None
    assert len(generated) >= 15
    assert user.role is Role.HR_MANAGER
    world.login("new@acme.test", generated, INFO)
    (event,) = world.events("user_create")
    assert event.detail["password"] == "generated"
    assert generated not in repr(event)


def test_an_admin_may_choose_the_password_under_the_policy(world: World, admin: User) -> None:
    acting = world.principal(admin)
    user, generated = world.create_user(acting, "new@acme.test", "VIEWER", "N", USER_PASSWORD, INFO)
    assert generated is None
    world.login(user.email, USER_PASSWORD, INFO)
    with pytest.raises(InvalidRequest, match="at least 15"):
        world.create_user(acting, "two@acme.test", "VIEWER", "N", "short", INFO)
    with pytest.raises(EmailTaken):
        world.create_user(acting, "NEW@acme.test", "VIEWER", "N", None, INFO)


def test_creating_users_needs_manage_users(world: World, user: User) -> None:
    with pytest.raises(Forbidden):
        world.create_user(world.principal(user), "x@acme.test", "VIEWER", "", None, INFO)


def test_no_account_above_the_creators_role(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Principal, "can", lambda self, permission: True)
    manager = Principal(role=Role.HR_MANAGER, user_id="m1")
    with pytest.raises(Forbidden, match="above your own"):
        world.create_user(manager, "x@acme.test", "ADMIN", "", None, INFO)


def test_users_read_themselves_and_admins_read_anyone(
    world: World, admin: User, user: User
) -> None:
    me = world.principal(user)
    assert world.get_user(me, user.id) == user
    with pytest.raises(NotFound):
        world.get_user(me, admin.id)  # indistinguishable from a missing account
    with pytest.raises(NotFound):
        world.get_user(me, "no-such-id")
    assert world.get_user(world.principal(admin), user.id) == user


def test_listing_users_is_paged_in_creation_order(world: World, admin: User) -> None:
    for n in range(5):
        world.clock.advance(seconds=1)
        world.add_user(f"u{n}@acme.test")
    acting = world.principal(admin)
    page, total = world.list_users(acting, offset=1, limit=2)
    assert total == 6
    assert [u.email for u in page] == ["u0@acme.test", "u1@acme.test"]
    with pytest.raises(InvalidRequest):
        world.list_users(acting, offset=0, limit=500)
    with pytest.raises(Forbidden):
        world.list_users(Principal(role=Role.HR_MANAGER, user_id="m"))


def test_a_profile_update_changes_the_name_only(world: World, user: User) -> None:
    updated = world.update_profile(world.principal(user), "  Jane Q. Doe ", INFO)
    assert updated.name == "Jane Q. Doe"
    assert (updated.role, updated.email, updated.active) == (user.role, user.email, user.active)
    assert world.users.get(user.id) == updated
    with pytest.raises(InvalidRequest):
        world.update_profile(world.principal(user), "Jane\r\nRole: ADMIN", INFO)
    with pytest.raises(Forbidden):
        world.update_profile(Principal(role=Role.ADMIN, api_key_id="k"), "bot", INFO)
    (event,) = world.events("user_update")
    assert event.detail == {"fields": ["name"]}
