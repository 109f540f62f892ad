"""Login: one answer for every failure, throttling before hashing, rehash, audit rows."""

from __future__ import annotations

import pytest

from pricing_core.access.audit import RequestInfo
from pricing_core.access.login import LOGIN_FAILED
from pricing_core.access.model import Outcome, User
from pricing_core.access.roles import Role
from pricing_core.errors import InvalidToken, NotAuthenticated, TooManyAttempts
from tests.service.access.conftest import (
    INFO,
    USER_PASSWORD,
    FakeHasher,
    World,
    make_world,
)


def failure(world: World, email: str, password: str, info: RequestInfo = INFO) -> NotAuthenticated:
    verified = world.hasher.verified
    with pytest.raises(NotAuthenticated) as caught:
        world.login(email, password, info)
    assert world.hasher.verified == verified + 1  # a hash was verified in every case
    return caught.value


def test_login_returns_a_pair_that_authenticates(world: World, user: User) -> None:
    pair = world.login("  JANE.DOE@acme.TEST ", USER_PASSWORD, INFO)
    assert pair.expires_in == 15 * 60
    assert pair.token_type == "bearer"
    principal = world.authenticate(pair.access_token, INFO)
    assert (principal.user_id, principal.role) == (user.id, Role.HR_ANALYST)
    (event,) = world.events("authn_login")
    assert (event.outcome, event.actor, event.request_id) == (Outcome.SUCCESS, user.id, "req-1")


def test_wrong_password_unknown_email_and_inactive_user_look_the_same(world: World) -> None:
    world.add_user("jane.doe@acme.test")
    world.add_user("gone@acme.test", active=False)
    errors = [
        failure(world, "jane.doe@acme.test", "not the right password"),
        failure(world, "nobody@acme.test", "not the right password"),
        failure(world, "gone@acme.test", USER_PASSWORD),
    ]
    assert {type(e) for e in errors} == {NotAuthenticated}
    assert {e.message for e in errors} == {LOGIN_FAILED}
    assert {str(e) for e in errors} == {LOGIN_FAILED}
    assert all(not e.details for e in errors)
    reasons = [str(e.detail["reason"]) for e in world.events("authn_login")]
    assert sorted(reasons) == ["inactive", "unknown_email", "wrong_password"]


def test_the_dummy_hash_is_made_once(world: World) -> None:
    hashed = world.hasher.hashed
    for _ in range(3):
        failure(world, "nobody@acme.test", "not the right password")
    assert world.hasher.hashed == hashed


def test_five_failures_lock_the_account_before_any_hash(world: World, user: User) -> None:
    for _ in range(5):
        failure(world, user.email, "not the right password")
    verified = world.hasher.verified
    with pytest.raises(TooManyAttempts) as caught:
        world.login(user.email, USER_PASSWORD, INFO)  # even the right password
    assert caught.value.retry_after == 15 * 60
    assert world.hasher.verified == verified  # refused before hashing
    assert world.events("authn_login")[0].detail["reason"] == "throttled"
    # Another account, from another address, is not affected.
    world.add_user("other@acme.test")
    world.login("other@acme.test", USER_PASSWORD, RequestInfo(ip="198.51.100.1"))


def test_the_lock_ends_when_the_window_passes(world: World, user: User) -> None:
    for _ in range(5):
        failure(world, user.email, "not the right password")
        world.clock.advance(minutes=1)
    with pytest.raises(TooManyAttempts) as caught:
        world.login(user.email, USER_PASSWORD, INFO)
    assert caught.value.retry_after == 10 * 60  # the first failure leaves in 10 minutes
    world.clock.advance(seconds=caught.value.retry_after)
    world.login(user.email, USER_PASSWORD, INFO)


def test_unknown_emails_are_throttled_like_real_ones(world: World) -> None:
    for _ in range(5):
        failure(world, "nobody@acme.test", "guess")
    with pytest.raises(TooManyAttempts):
        world.login("nobody@acme.test", "guess", INFO)


def test_one_address_is_locked_after_twenty_failures(world: World, user: User) -> None:
    for n in range(20):
        failure(world, f"user{n}@acme.test", "guess")
    with pytest.raises(TooManyAttempts):
        world.login(user.email, USER_PASSWORD, INFO)
    world.login(user.email, USER_PASSWORD, RequestInfo(ip="198.51.100.1"))


def test_a_success_clears_the_account_count(world: World, user: User) -> None:
    for _ in range(4):
        failure(world, user.email, "guess")
    world.login(user.email, USER_PASSWORD, INFO)
    for _ in range(4):
        failure(world, user.email, "guess")
    world.login(user.email, USER_PASSWORD, INFO)


def test_login_rehashes_a_hash_made_with_old_parameters() -> None:
    world = make_world(hasher=FakeHasher(version=1))
    user = world.add_user("old@acme.test")
    assert user.password_hash.startswith("fake$v1$")
    world.hasher.version = 2  # the parameters changed
    world.login("old@acme.test", USER_PASSWORD, INFO)
    stored = world.users.get(user.id)
    assert stored is not None
    assert stored.password_hash.startswith("fake$v2$")
    assert world.hasher.verify(stored.password_hash, USER_PASSWORD)
    hashed = world.hasher.hashed
    world.login("old@acme.test", USER_PASSWORD, INFO)
    assert world.hasher.hashed == hashed  # current hashes are left alone


def test_a_failed_login_leaves_the_hash_alone() -> None:
    world = make_world(hasher=FakeHasher(version=1))
    user = world.add_user("old@acme.test")
    world.hasher.version = 2
    failure(world, "old@acme.test", "guess")
    assert world.users.get(user.id) == user


def test_a_refresh_token_is_not_an_access_token(world: World, user: User) -> None:
    pair = world.login(user.email, USER_PASSWORD, INFO)
    with pytest.raises(InvalidToken):
        world.authenticate(pair.refresh_token, INFO)


def test_overlong_input_is_refused_without_hashing(world: World, user: User) -> None:
    verified = world.hasher.verified
    for email, password in [(user.email, "x" * 129), ("a" * 10_000 + "@acme.test", "guess")]:
        with pytest.raises(NotAuthenticated, match=LOGIN_FAILED):
            world.login(email, password, INFO)
    assert world.hasher.verified == verified
    assert all(len(str(e.detail["email"])) <= 255 for e in world.events("authn_login"))
    for _ in range(4):  # the overlong attempt counted as a failure for the account
        failure(world, user.email, "guess")
    with pytest.raises(TooManyAttempts):
        world.login(user.email, USER_PASSWORD, INFO)
