"""The rule that tells a lost refresh race from a replayed refresh token (checklist 12, 13)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pricing_core.access.model import RefreshRecord
from pricing_core.access.refresh import lost_race
from pricing_core.access.tokens import MAX_REUSE_GRACE, TokenPolicy

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
GRACE = TokenPolicy().reuse_grace


def token(n: int, **changes: object) -> RefreshRecord:
    values: dict[str, object] = {
        "id": f"r{n}",
        "user_id": "u1",
        "family_id": "f1",
        "token_hash": f"{n:064x}",
        "created_at": T0,
        "expires_at": T0 + timedelta(days=14),
        "family_expires_at": T0 + timedelta(days=30),
    }
    return RefreshRecord(**{**values, **changes})  # type: ignore[arg-type]


SPENT = token(1, used_at=T0)
WINNERS_CHILD = token(2, parent_id="r1", created_at=T0)
delays = st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=1))


def test_the_default_grace_is_a_few_seconds() -> None:
    assert timedelta(seconds=1) <= GRACE <= timedelta(seconds=10)


@given(delay=delays)
def test_a_spent_token_again_is_a_lost_race_only_within_the_grace(delay: timedelta) -> None:
    assert lost_race(SPENT, WINNERS_CHILD, T0 + delay, GRACE) is (delay < GRACE)
    # The winner may not have stored its new token yet: the same answer.
    assert lost_race(SPENT, None, T0 + delay, GRACE) is (delay < GRACE)


@given(delay=delays, child_used_after=delays)
def test_once_the_successor_was_used_it_is_a_replay_however_soon(
    delay: timedelta, child_used_after: timedelta
) -> None:
    used_child = attrs.evolve(WINNERS_CHILD, used_at=T0 + child_used_after)
    assert lost_race(SPENT, used_child, T0 + delay, GRACE) is False


@given(delay=delays)
def test_an_unused_token_is_never_a_lost_race(delay: timedelta) -> None:
    assert lost_race(token(1), None, T0 + delay, GRACE) is False


@given(delay=delays)
def test_a_zero_grace_makes_every_second_use_a_replay(delay: timedelta) -> None:
    assert lost_race(SPENT, WINNERS_CHILD, T0 + delay, timedelta(0)) is False


@pytest.mark.parametrize("grace", [timedelta(seconds=-1), MAX_REUSE_GRACE + timedelta(seconds=1)])
def test_the_grace_is_bounded(grace: timedelta) -> None:
    with pytest.raises(ValueError, match="reuse_grace"):
        TokenPolicy(reuse_grace=grace)
