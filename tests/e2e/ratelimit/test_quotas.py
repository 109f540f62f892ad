"""Checklist 22: per-user, per-role quotas; users behind one address do not share them."""

from __future__ import annotations

import pytest

from pricing_core.access.roles import Role
from tests.e2e.ratelimit.conftest import MakeApi
from tests.e2e.ratelimit.gear import ME, PING, Api

QUOTAS = {Role.VIEWER: 6, Role.HR_ANALYST: 8, Role.HR_MANAGER: 10}
ENV = {
    "PRICING_RATE_LIMITS": "VIEWER=6,HR_ANALYST=8,HR_MANAGER=10,anonymous=4",
    "PRICING_RATE_LIMIT_WINDOW": "60",
}


@pytest.fixture(params=["memory", "redis"])
def api(request: pytest.FixtureRequest, make_api: MakeApi) -> Api:
    """The app counting in memory, and counting in the real Redis."""
    if request.param == "redis":
        return make_api(PRICING_REDIS_URL=request.getfixturevalue("redis_url"), **ENV)
    return make_api(**ENV)


def statuses(api: Api, headers: dict[str, str], n: int, path: str = ME) -> list[int]:
    return [api.client.get(path, headers=headers).status_code for _ in range(n)]


@pytest.mark.parametrize("role", list(QUOTAS))
def test_each_role_gets_its_own_quota(api: Api, role: Role) -> None:
    quota = QUOTAS[role]
    by_token = api.token(api.add_user(role))
    assert statuses(api, by_token, quota + 2) == [200] * quota + [429, 429]
    last = api.client.get(ME, headers=by_token).json()
    assert (last["error"], last["limit"], last["status"]) == ("Rate limit exceeded", quota, 429)
    assert last["type"].endswith("/quota-exceeded")
    by_key = api.api_key(role)  # an API key has a quota of its own, by its role
    assert statuses(api, by_key, quota + 1) == [200] * quota + [429]


def test_admin_is_unlimited_and_carries_no_limit_headers(api: Api) -> None:
    admin = api.token(api.add_user(Role.ADMIN))
    answers = [api.client.get(ME, headers=admin) for _ in range(30)]
    assert {a.status_code for a in answers} == {200}
    assert not any("x-ratelimit-limit" in a.headers for a in answers)


def test_two_users_behind_one_address_are_counted_apart(api: Api) -> None:
    # Every TestClient request comes from one address ("testclient").
    first, second = api.add_user(Role.VIEWER), api.add_user(Role.VIEWER)
    one, other = api.token(first), api.token(second)
    assert statuses(api, one, 7) == [200] * 6 + [429]
    answer = api.client.get(ME, headers=other)
    assert answer.status_code == 200
    assert answer.headers["X-RateLimit-Remaining"] == "5"
    # The address's anonymous quota is its own too.
    assert statuses(api, {}, 5, PING) == [200] * 4 + [429]
    assert api.client.get(ME, headers=other).status_code == 200


def test_one_user_shares_a_quota_across_sessions(api: Api) -> None:
    user = api.add_user(Role.VIEWER)
    a, b = api.token(user), api.token(user)
    assert statuses(api, a, 3) == [200] * 3
    assert statuses(api, b, 4) == [200] * 3 + [429]


def test_cors_preflights_do_not_spend_the_anonymous_quota(api: Api) -> None:
    preflight = {"Origin": "https://hr.example.com", "Access-Control-Request-Method": "POST"}
    for _ in range(6):  # more than the anonymous quota of 4
        answer = api.client.options("/api/v1/auth/login", headers=preflight)
        assert answer.status_code == 204
        assert "x-ratelimit-remaining" not in answer.headers
    assert statuses(api, {}, 5, PING) == [200] * 4 + [429]
