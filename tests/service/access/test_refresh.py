"""Refresh: rotation, reuse revokes the family, idle and absolute expiry, the race."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pricing_core.access.model import Outcome, TokenPair, User
from pricing_core.access.tokens import TokenPolicy
from pricing_core.errors import InvalidToken
from tests.service.access.conftest import INFO, USER_PASSWORD, World, make_world


def login(world: World, user: User) -> TokenPair:
    return world.login(user.email, USER_PASSWORD, INFO)


def refused(world: World, refresh_token: str) -> InvalidToken:
    with pytest.raises(InvalidToken) as caught:
        world.refresh(refresh_token, INFO)
    assert caught.value.message == "invalid or expired token"
    return caught.value


def test_refresh_rotates_and_the_old_token_is_spent(world: World, user: User) -> None:
    first = login(world, user)
    world.clock.advance(minutes=1)
    second = world.refresh(first.refresh_token, INFO)
    assert second.refresh_token != first.refresh_token
    assert second.access_token != first.access_token
    assert world.authenticate(second.access_token, INFO).user_id == user.id
    refused(world, first.refresh_token)


def test_reuse_revokes_the_whole_family_and_is_audited(world: World, user: User) -> None:
    a = login(world, user)
    other_session = login(world, user)
    b = world.refresh(a.refresh_token, INFO)
    c = world.refresh(b.refresh_token, INFO)
    refused(world, a.refresh_token)  # A again: theft suspected
    refused(world, c.refresh_token)  # the newest of the family died with it
    (event,) = world.events("authn_token_reuse")
    assert event.outcome is Outcome.FAILURE
    assert event.actor == user.id
    family = {r.family_id for r in world.refresh_tokens.records() if r.revoked_at is not None}
    assert event.target_id in family
    assert all(t not in repr(event) for t in (a.refresh_token, b.refresh_token, c.refresh_token))
    world.refresh(other_session.refresh_token, INFO)  # another login is another family


def test_idle_expiry(world: World, user: User) -> None:
    pair = login(world, user)
    world.clock.advance(days=14)
    refused(world, pair.refresh_token)


def test_a_token_used_within_the_idle_time_works(world: World, user: User) -> None:
    pair = login(world, user)
    world.clock.advance(days=13, hours=23)
    rotated = world.refresh(pair.refresh_token, INFO)
    assert rotated.refresh_token != pair.refresh_token  # rotated, and the old one spent
    refused(world, pair.refresh_token)


def test_absolute_expiry_holds_even_after_recent_rotation(world: World, user: User) -> None:
    pair = login(world, user)
    for _ in range(2):  # rotate at day 10 and day 20
        world.clock.advance(days=10)
        pair = world.refresh(pair.refresh_token, INFO)
    world.clock.advance(days=9, hours=23)
    pair = world.refresh(pair.refresh_token, INFO)  # day 29 day 23h: still inside
    world.clock.advance(hours=1)  # day 30: the family is over, though rotated an hour ago
    error = refused(world, pair.refresh_token)
    assert "absolute" in error.reason


def test_unknown_and_access_tokens_are_refused(world: World, user: User) -> None:
    pair = login(world, user)
    refused(world, "not-a-token")
    refused(world, "")
    refused(world, pair.access_token)


def test_a_deactivated_users_refresh_token_is_refused(world: World, user: User) -> None:
    pair = login(world, user)
    world.users.save(attrs.evolve(user, active=False))  # behind the use cases' back
    error = refused(world, pair.refresh_token)
    assert "inactive" in error.reason


def test_of_concurrent_refreshes_exactly_one_wins(world: World, user: User) -> None:
    pair = login(world, user)
    start = threading.Barrier(10)

    def attempt() -> bool:
        start.wait()
        try:
            world.refresh(pair.refresh_token, INFO)
        except InvalidToken:
            return False
        return True

    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(lambda _: attempt(), range(10)))
    assert results.count(True) == 1
    live = [r for r in world.refresh_tokens.records() if r.used_at is None and r.revoked_at is None]
    assert len(live) <= 1


def test_a_race_loser_within_the_grace_is_refused_and_the_winner_lives(
    world: World, user: User
) -> None:
    """Issue 11 item 2: the loser saw the token already spent by the winner, moments ago."""
    pair = login(world, user)
    winner = world.refresh(pair.refresh_token, INFO)
    world.clock.advance(seconds=TokenPolicy().reuse_grace.total_seconds() - 1)
    error = refused(world, pair.refresh_token)
    assert error.reason == "refresh token refused: concurrent_use"
    assert world.events("authn_token_reuse") == []
    assert all(r.revoked_at is None for r in world.refresh_tokens.records())
    world.refresh(winner.refresh_token, INFO)  # the winner's session lives


def test_a_replay_after_the_grace_revokes_the_family(world: World, user: User) -> None:
    pair = login(world, user)
    winner = world.refresh(pair.refresh_token, INFO)
    world.clock.advance(seconds=TokenPolicy().reuse_grace.total_seconds())
    refused(world, pair.refresh_token)
    assert len(world.events("authn_token_reuse")) == 1
    refused(world, winner.refresh_token)


def test_a_replay_of_an_older_ancestor_within_the_grace_revokes_the_family(
    world: World, user: User
) -> None:
    a = login(world, user)
    b = world.refresh(a.refresh_token, INFO)
    c = world.refresh(b.refresh_token, INFO)  # the family moved past A's successor
    refused(world, a.refresh_token)  # no time has passed, yet A is two rotations old
    assert len(world.events("authn_token_reuse")) == 1
    refused(world, c.refresh_token)


@given(seconds=st.floats(min_value=0, max_value=120, allow_nan=False))
@settings(max_examples=40, deadline=None)
def test_a_second_use_revokes_the_family_exactly_when_past_the_grace(seconds: float) -> None:
    world = make_world()
    user = world.add_user("race@acme.test")
    pair = login(world, user)
    winner = world.refresh(pair.refresh_token, INFO)
    world.clock.advance(seconds=seconds)
    refused(world, pair.refresh_token)
    replay = timedelta(seconds=seconds) >= TokenPolicy().reuse_grace
    assert len(world.events("authn_token_reuse")) == int(replay)
    if replay:
        refused(world, winner.refresh_token)
    else:
        world.refresh(winner.refresh_token, INFO)


def test_of_concurrent_refreshes_the_winners_session_lives(world: World, user: User) -> None:
    for _ in range(5):
        pair = login(world, user)
        start = threading.Barrier(10)

        def attempt(
            token: str = pair.refresh_token, start: threading.Barrier = start
        ) -> TokenPair | None:
            start.wait()
            try:
                return world.refresh(token, INFO)
            except InvalidToken:
                return None

        with ThreadPoolExecutor(max_workers=10) as pool:
            results = [r for r in pool.map(lambda _: attempt(), range(10)) if r is not None]
        assert len(results) == 1
        world.refresh(results[0].refresh_token, INFO)
    assert world.events("authn_token_reuse") == []
