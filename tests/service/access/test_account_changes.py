"""Password change, role change and deactivation: each ends the user's sessions."""

from __future__ import annotations

from datetime import timedelta

import pytest

from pricing_core.access.model import AuditQuery, Principal, TokenPair, User
from pricing_core.access.roles import Role
from pricing_core.errors import (
    Conflict,
    Forbidden,
    InvalidRequest,
    InvalidToken,
    NotAuthenticated,
    NotFound,
    OneTimePasswordExpired,
    PasswordChangeRequired,
    TooManyAttempts,
)
from tests.service.access.conftest import INFO, USER_PASSWORD, World

NEW_PASSWORD = "a brand new passphrase"


def dead(world: World, pair: TokenPair) -> None:
    with pytest.raises(InvalidToken):
        world.authenticate(pair.access_token, INFO)
    with pytest.raises(InvalidToken):
        world.refresh(pair.refresh_token, INFO)


def test_changing_the_password_ends_every_session(world: World, user: User) -> None:
    here = world.login(user.email, USER_PASSWORD, INFO)
    elsewhere = world.login(user.email, USER_PASSWORD, INFO)
    principal = world.authenticate(here.access_token, INFO)
    fresh = world.change_password(principal, USER_PASSWORD, NEW_PASSWORD, INFO)
    dead(world, here)
    dead(world, elsewhere)
    assert world.authenticate(fresh.access_token, INFO).user_id == user.id  # same second
    world.refresh(fresh.refresh_token, INFO)
    with pytest.raises(NotAuthenticated):
        world.login(user.email, USER_PASSWORD, INFO)
    world.login(user.email, NEW_PASSWORD, INFO)
    assert [e.outcome for e in world.events("password_change")] == ["success"]


def test_a_wrong_current_password_is_refused_and_counted(world: World, user: User) -> None:
    principal = world.principal(user)
    for _ in range(5):
        with pytest.raises(InvalidRequest) as caught:
            world.change_password(principal, "wrong", NEW_PASSWORD, INFO)
        assert caught.value.field == "current_password"
    with pytest.raises(TooManyAttempts):
        world.change_password(principal, USER_PASSWORD, NEW_PASSWORD, INFO)
    with pytest.raises(TooManyAttempts):
        world.login(user.email, USER_PASSWORD, INFO)


@pytest.mark.parametrize(
    ("new", "reason"),
    [("fourteen chars", "at least 15"), ("Password123456789", "too common"),
     ("jane.doe-was-here-2024", "email"), ("acme payroll admin", "company")],
)  # fmt: skip
def test_the_new_password_meets_the_policy(world: World, user: User, new: str, reason: str) -> None:
    principal = world.principal(user)
    with pytest.raises(InvalidRequest, match=reason):
        world.change_password(principal, USER_PASSWORD, new, INFO)
    world.authenticate(world.login(user.email, USER_PASSWORD, INFO).access_token, INFO)


def test_changing_a_role_ends_the_users_sessions(world: World, admin: User, user: User) -> None:
    pair = world.login(user.email, USER_PASSWORD, INFO)
    changed = world.change_role(world.principal(admin), user.id, "HR_MANAGER", INFO)
    assert changed.role is Role.HR_MANAGER
    dead(world, pair)
    again = world.login(user.email, USER_PASSWORD, INFO)
    assert world.authenticate(again.access_token, INFO).role is Role.HR_MANAGER
    (event,) = world.events("role_change")
    assert event.detail == {"from": "HR_ANALYST", "to": "HR_MANAGER"}


def test_role_changes_need_manage_roles_and_not_your_own(
    world: World, admin: User, user: User
) -> None:
    with pytest.raises(Forbidden):
        world.change_role(world.principal(user), admin.id, "VIEWER", INFO)
    acting = world.principal(admin)
    with pytest.raises(Conflict):
        world.change_role(acting, admin.id, "VIEWER", INFO)
    with pytest.raises(InvalidRequest):
        world.change_role(acting, user.id, "ROOT", INFO)
    with pytest.raises(NotFound):
        world.change_role(acting, "no-such-id", "VIEWER", INFO)


def test_nobody_grants_above_their_own_role(
    world: World, user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Only ADMIN holds MANAGE_ROLES today; lend it to a manager to see the rank rule.
    monkeypatch.setattr(Principal, "can", lambda self, permission: True)
    manager = Principal(role=Role.HR_MANAGER, user_id="m1")
    with pytest.raises(Forbidden, match="above your own"):
        world.change_role(manager, user.id, "ADMIN", INFO)
    world.change_role(manager, user.id, "HR_MANAGER", INFO)
    boss = world.add_user("boss@acme.test", role=Role.ADMIN)
    with pytest.raises(Forbidden, match="above your own"):
        world.change_role(manager, boss.id, "VIEWER", INFO)


def test_deactivation_ends_sessions_and_logins(world: World, admin: User, user: User) -> None:
    pair = world.login(user.email, USER_PASSWORD, INFO)
    changed = world.deactivate(world.principal(admin), user.id, INFO)
    assert not changed.active
    dead(world, pair)
    with pytest.raises(NotAuthenticated, match="invalid email or password"):
        world.login(user.email, USER_PASSWORD, INFO)
    assert world.users.get(user.id) is not None  # the account and its history stay
    assert [e.target_id for e in world.events("user_deactivate")] == [user.id]


def test_a_deactivated_user_is_reactivated_by_an_administrator(
    world: World, admin: User, user: User
) -> None:
    """Issue 11: DELETE deactivates; an administrator may undo it, audited."""
    pair = world.login(user.email, USER_PASSWORD, INFO)
    acting = world.principal(admin)
    world.deactivate(acting, user.id, INFO)
    back = world.reactivate(acting, user.id, INFO)
    assert back.active
    assert world.users.get(user.id) == back
    world.login(user.email, USER_PASSWORD, INFO)  # logs in again
    dead(world, pair)  # the sessions that ended with the deactivation stay ended
    (event,) = world.events("user_reactivate")
    assert (event.actor, event.target_type, event.target_id) == (admin.id, "user", user.id)
    assert world.reactivate(acting, user.id, INFO) == back  # already active: nothing new
    assert len(world.events("user_reactivate")) == 1


def test_reactivation_has_the_limits_of_deactivation(world: World, admin: User) -> None:
    viewer = world.add_user("viewer@acme.test", role=Role.VIEWER)
    with pytest.raises(Forbidden):
        world.reactivate(world.principal(viewer), admin.id, INFO)  # no MANAGE_USERS
    with pytest.raises(Conflict):
        world.reactivate(world.principal(admin), admin.id, INFO)
    with pytest.raises(NotFound):
        world.reactivate(world.principal(admin), "nobody", INFO)


def test_nobody_deactivates_themselves(world: World, admin: User) -> None:
    with pytest.raises(Conflict):
        world.deactivate(world.principal(admin), admin.id, INFO)
    with pytest.raises(Forbidden):
        world.deactivate(Principal(role=Role.HR_MANAGER, user_id="m"), admin.id, INFO)


def test_a_demoted_or_deactivated_user_loses_keys_above_them(world: World, admin: User) -> None:
    other = world.add_user("second.admin@acme.test", role=Role.ADMIN)
    acting_other = Principal(role=Role.ADMIN, user_id=other.id)
    _high, high_raw = world.create_key(acting_other, "etl", "ADMIN", INFO)
    _low, low_raw = world.create_key(acting_other, "dash", "VIEWER", INFO)
    acting = world.principal(admin)
    world.change_role(acting, other.id, "HR_MANAGER", INFO)
    with pytest.raises(InvalidToken):
        world.authenticate(high_raw, INFO)
    assert world.authenticate(low_raw, INFO).role is Role.VIEWER
    world.deactivate(acting, other.id, INFO)
    with pytest.raises(InvalidToken):
        world.authenticate(low_raw, INFO)
    reasons = [e.detail["reason"] for e in world.events("apikey_revoke")]
    assert reasons == ["creator_lost_role", "creator_lost_role"]


def test_an_api_key_has_no_password_to_change(world: World) -> None:
    with pytest.raises(Forbidden):
        world.change_password(Principal(role=Role.ADMIN, api_key_id="k"), "a", "b", INFO)


def test_a_one_time_password_must_be_changed_before_any_use_case(world: World, admin: User) -> None:
    """Issue 11 item 4 in the core: `require` refuses, whatever the permission."""
    acting = world.principal(admin)
    made, generated = world.create_user(acting, "otp@acme.test", "HR_ANALYST", "O", None, INFO)
    assert generated is not None
    assert made.one_time_password_expires_at == world.clock.now() + timedelta(hours=72)
    pair = world.login(made.email, generated, INFO)
    assert pair.password_change_required
    caller = world.authenticate(pair.access_token, INFO)
    assert caller.password_change_required
    with pytest.raises(PasswordChangeRequired):
        world.list_keys(caller)
    with pytest.raises(PasswordChangeRequired):
        world.read_audit(caller, AuditQuery())
    fresh = world.change_password(caller, generated, NEW_PASSWORD, INFO)
    assert not fresh.password_change_required
    assert world.users.get(made.id).one_time_password_expires_at is None  # type: ignore[union-attr]
    assert not world.authenticate(fresh.access_token, INFO).password_change_required


def test_an_expired_one_time_password_no_longer_logs_in(world: World, admin: User) -> None:
    acting = world.principal(admin)
    made, generated = world.create_user(acting, "late@acme.test", "VIEWER", "L", None, INFO)
    assert generated is not None
    pair = world.login(made.email, generated, INFO)
    world.clock.advance(hours=72)
    with pytest.raises(OneTimePasswordExpired):
        world.login(made.email, generated, INFO)
    with pytest.raises(InvalidToken):
        world.authenticate(pair.access_token, INFO)
    with pytest.raises(InvalidToken):
        world.refresh(pair.refresh_token, INFO)


def test_a_reset_gives_a_new_one_time_password_and_ends_sessions(
    world: World, admin: User, user: User
) -> None:
    pair = world.login(user.email, USER_PASSWORD, INFO)
    acting = world.principal(admin)
    reset, generated = world.reset_password(acting, user.id, INFO)
    assert reset.one_time_password_expires_at == world.clock.now() + timedelta(hours=72)
    dead(world, pair)
    with pytest.raises(NotAuthenticated):
        world.login(user.email, USER_PASSWORD, INFO)
    assert world.login(user.email, generated, INFO).password_change_required
    assert [e.target_id for e in world.events("password_reset")] == [user.id]
    with pytest.raises(Conflict):
        world.reset_password(acting, admin.id, INFO)
    with pytest.raises(Forbidden):
        world.reset_password(Principal(role=Role.HR_MANAGER, user_id="m"), user.id, INFO)
