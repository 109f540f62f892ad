"""Checklist 23: the headers and the 429 answer, parsed as Structured Fields; probes are never
limited; the OpenAPI document declares the 429."""

from __future__ import annotations

import math
import time

import pytest

from pricing_core.access.roles import Role
from tests.e2e.ratelimit.conftest import MakeApi
from tests.e2e.ratelimit.gear import ME, PING, Api, sf_list

QUOTA_EXCEEDED = "https://job-pricing.dev/problems/quota-exceeded"


def now() -> float:
    return time.time()  # noqa: TID251 - the headers are epoch seconds of the wall clock


ENV = {"PRICING_RATE_LIMITS": "VIEWER=5,anonymous=3", "PRICING_RATE_LIMIT_WINDOW": "60"}


@pytest.fixture
def api(make_api: MakeApi, redis_url: str) -> Api:
    return make_api(PRICING_REDIS_URL=redis_url, **ENV)


def test_2xx_carry_the_fields_with_r_counting_down(api: Api) -> None:
    viewer = api.token(api.add_user(Role.VIEWER))
    seen = []
    for _ in range(5):
        answer = api.client.get(ME, headers=viewer)
        assert answer.status_code == 200
        assert sf_list(answer.headers["RateLimit-Policy"]) == [("peruser", {"q": 5, "w": 60})]
        ((name, params),) = sf_list(answer.headers["RateLimit"])
        assert name == "peruser"
        assert set(params) == {"r", "t"}
        assert 0 < params["t"] <= 60
        assert answer.headers["X-RateLimit-Limit"] == "5"
        assert int(answer.headers["X-RateLimit-Remaining"]) == params["r"]
        reset = int(answer.headers["X-RateLimit-Reset"])
        assert abs(reset - (now() + params["t"])) <= 2
        seen.append(params["r"])
    assert seen == [4, 3, 2, 1, 0]


def test_a_429_carries_retry_after_no_less_than_t_and_a_quota_exceeded_problem(
    api: Api,
) -> None:
    viewer = api.token(api.add_user(Role.VIEWER))
    for _ in range(5):
        api.client.get(ME, headers=viewer)
    answer = api.client.get(ME, headers=viewer)
    assert answer.status_code == 429
    assert answer.headers["content-type"].startswith("application/problem+json")
    body = answer.json()
    # RFC 9457 members (checklist 23), and access.md's as extension members.
    assert body["type"] == QUOTA_EXCEEDED
    assert (body["title"], body["status"]) == ("Too many requests", 429)
    assert body["detail"]
    assert body["error"] == "Rate limit exceeded"
    assert body["limit"] == 5
    assert body["retry_after"] == int(answer.headers["Retry-After"])
    ((name, params),) = sf_list(answer.headers["RateLimit"])
    assert name == "peruser"
    assert params["r"] == 0
    retry_after = answer.headers["Retry-After"]
    assert retry_after.isdigit()  # delta-seconds
    assert int(retry_after) >= params["t"]
    assert int(retry_after) >= 1
    assert body["reset_at"] == int(answer.headers["X-RateLimit-Reset"])
    assert math.isclose(body["reset_at"], now() + int(retry_after), abs_tol=2)
    assert sf_list(answer.headers["RateLimit-Policy"]) == [("peruser", {"q": 5, "w": 60})]


def test_a_login_lists_every_quota_it_counts_against(api: Api) -> None:
    answer = api.client.post(
        "/api/v1/auth/login", json={"email": "x@example.com", "password": "y" * 20}
    )
    assert answer.status_code == 401
    policies = dict(sf_list(answer.headers["RateLimit-Policy"]))
    assert policies == {
        "perip": {"q": 3, "w": 60},
        "auth-ip": {"q": 10, "w": 60},
        "auth-account": {"q": 10, "w": 60},
    }
    state = dict(sf_list(answer.headers["RateLimit"]))
    assert (state["perip"]["r"], state["auth-ip"]["r"], state["auth-account"]["r"]) == (2, 9, 9)
    assert answer.headers["X-RateLimit-Limit"] == "3"  # the binding quota: fewest left


def test_failed_authentication_counts_against_the_address(api: Api) -> None:
    bad = {"Authorization": "Bearer not-a-token"}
    codes = [api.client.get(ME, headers=bad).status_code for _ in range(5)]
    assert codes == [401, 401, 401, 429, 429]


@pytest.mark.parametrize("path", ["/health", "/schema/openapi.json"])
def test_probes_and_docs_are_never_limited(api: Api, path: str) -> None:
    for _ in range(3):
        api.client.get(PING)
    assert api.client.get(PING).status_code == 429  # the address is spent
    for _ in range(20):
        answer = api.client.get(path)
        assert answer.status_code == 200
        assert "x-ratelimit-limit" not in answer.headers
        assert "ratelimit" not in answer.headers


def test_openapi_declares_the_429_and_the_headers_on_limited_routes(api: Api) -> None:
    schema = api.client.get("/schema/openapi.json").json()
    me = schema["paths"][ME]["get"]["responses"]
    assert list(me["429"]["content"]) == ["application/problem+json"]
    assert {"RateLimit", "RateLimit-Policy", "X-RateLimit-Limit"} <= set(me["200"]["headers"])
    assert "429" not in schema["paths"]["/health"]["get"]["responses"]
    login = schema["paths"]["/api/v1/auth/login"]["post"]["responses"]["429"]
    assert "Rate limit exceeded" in login["description"]  # beside the throttle's own 429
    # One schema for both answers: the throttle's problem and the rate limit's.
    assert login["content"] == me["429"]["content"]
    ref = me["429"]["content"]["application/problem+json"]["schema"]["$ref"]
    quota = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert {"type", "title", "status", "detail", "retry_after"} <= set(quota["properties"])
    assert {"error", "limit", "reset_at"} <= set(quota["properties"])
