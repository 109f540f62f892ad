"""Authenticate and Logout: one refusal for every cause, revocations fail closed."""

from __future__ import annotations

from datetime import datetime, timedelta

import attrs
import pytest

from pricing_core.access.model import User
from pricing_core.access.roles import Role
from pricing_core.access.tokens import MAX_LEEWAY, REVOCATION_MARGIN
from pricing_core.errors import InvalidToken, RevocationUnavailable
from tests.service.access.conftest import INFO, USER_PASSWORD, FakeCodec, World, make_world


class DownRevocations:
    """A revocation store whose cache and database are both unreachable."""

    def revoke(self, jti: str, until: datetime) -> None:
        raise RevocationUnavailable("revocation store down")

    def is_revoked(self, jti: str, now: datetime) -> bool:
        raise RevocationUnavailable("revocation store down")


def refused(world: World, token: str) -> InvalidToken:
    with pytest.raises(InvalidToken) as caught:
        world.authenticate(token, INFO)
    assert str(caught.value) == "invalid or expired token"
    return caught.value


def test_a_token_gives_the_users_principal(world: World, user: User) -> None:
    pair = world.login(user.email, USER_PASSWORD, INFO)
    principal = world.authenticate(pair.access_token, INFO)
    assert principal.role is Role.HR_ANALYST
    assert principal.user_id == user.id
    assert principal.token_id
    assert principal.session_id
    assert principal.token_expires_at
    assert principal.api_key_id is None


def test_garbage_and_expired_tokens_are_refused_alike(world: World, user: User) -> None:
    pair = world.login(user.email, USER_PASSWORD, INFO)
    refused(world, "garbage")
    refused(world, "")
    world.clock.advance(minutes=15, seconds=11)  # past expiry and the 10 s leeway
    refused(world, pair.access_token)
    rows = world.events("authn_token")
    assert len(rows) == 3
    assert all(pair.access_token not in repr(r) for r in rows)


def test_a_deactivated_users_token_is_refused_at_once(world: World, user: User) -> None:
    pair = world.login(user.email, USER_PASSWORD, INFO)
    world.users.save(attrs.evolve(user, active=False))
    refused(world, pair.access_token)


def test_revocation_checks_fail_closed(user: User) -> None:
    world = make_world(revocations=DownRevocations())
    user = world.add_user("x@acme.test")
    pair = world.login(user.email, USER_PASSWORD, INFO)
    with pytest.raises(RevocationUnavailable):
        world.authenticate(pair.access_token, INFO)


def test_logout_kills_the_access_token_and_the_refresh_family(world: World, user: User) -> None:
    pair = world.login(user.email, USER_PASSWORD, INFO)
    other = world.login(user.email, USER_PASSWORD, INFO)
    world.logout(world.authenticate(pair.access_token, INFO), INFO)
    refused(world, pair.access_token)  # well before its exp
    with pytest.raises(InvalidToken):
        world.refresh(pair.refresh_token, INFO)
    # Only that session ended: the other device goes on.
    assert world.authenticate(other.access_token, INFO).user_id == user.id
    world.refresh(other.refresh_token, INFO)
    (event,) = world.events("authn_logout")
    assert event.actor == user.id


def test_logout_without_a_session_id_ends_every_session() -> None:
    world = make_world(codec=FakeCodec(carry_sid=False))
    user = world.add_user("x@acme.test")
    pair = world.login(user.email, USER_PASSWORD, INFO)
    other = world.login(user.email, USER_PASSWORD, INFO)
    principal = world.authenticate(pair.access_token, INFO)
    assert principal.session_id is None
    world.logout(principal, INFO)
    for token in (pair.refresh_token, other.refresh_token):
        with pytest.raises(InvalidToken):
            world.refresh(token, INFO)


def test_a_revoked_jti_expires_from_the_store_with_the_token(world: World, user: User) -> None:
    pair = world.login(user.email, USER_PASSWORD, INFO)
    principal = world.authenticate(pair.access_token, INFO)
    world.logout(principal, INFO)
    assert principal.token_id
    assert principal.token_expires_at
    assert world.revocations.is_revoked(principal.token_id, world.clock.now())
    # Kept past exp for longer than any codec's leeway could still accept the token.
    assert REVOCATION_MARGIN > MAX_LEEWAY
    after_leeway = principal.token_expires_at + REVOCATION_MARGIN
    assert world.revocations.is_revoked(principal.token_id, after_leeway - timedelta(seconds=1))
    assert not world.revocations.is_revoked(principal.token_id, after_leeway)


def test_a_logged_out_token_stays_dead_through_the_leeway(world: World, user: User) -> None:
    pair = world.login(user.email, USER_PASSWORD, INFO)
    world.logout(world.authenticate(pair.access_token, INFO), INFO)
    world.clock.advance(minutes=15, seconds=5)  # past exp, inside the codec's 10 s leeway
    refused(world, pair.access_token)
