"""Checklist 4 over HTTP: one answer for every login failure, about the same time, and
throttling of one account that leaves the others alone."""

from __future__ import annotations

import statistics
import time
from typing import Any

import pytest

from tests.e2e.access.conftest import PASSWORD, Api
from tests.gear.clock import FakeClock

LOGIN = "/api/v1/auth/login"


@pytest.fixture
def api(fresh_api: Api) -> Api:
    """An app of each test's own: these tests count failures per address."""
    return fresh_api


WRONG = "not the password at all"


def attempt(api: Api, email: str, password: str) -> tuple[int, dict[str, object], float]:
    started = time.perf_counter()
    response = api.client.post(LOGIN, json={"email": email, "password": password})
    elapsed = time.perf_counter() - started
    return response.status_code, response.json(), elapsed


def test_unknown_email_wrong_password_and_inactive_account_give_one_answer(api: Api) -> None:
    known = api.add_user()
    inactive = api.add_user(active=False)
    answers = {
        "unknown email": api.client.post(
            LOGIN, json={"email": "nobody@example.com", "password": WRONG}
        ),
        "wrong password": api.client.post(LOGIN, json={"email": known.email, "password": WRONG}),
        "inactive account": api.client.post(
            LOGIN, json={"email": inactive.email, "password": PASSWORD}
        ),
    }
    bodies = {name: r.content for name, r in answers.items()}
    assert {r.status_code for r in answers.values()} == {401}
    assert len(set(bodies.values())) == 1, bodies
    headers = {(r.headers["content-type"], r.headers["www-authenticate"]) for r in answers.values()}
    assert len(headers) == 1
    assert answers["unknown email"].json()["detail"] == "invalid email or password"
    failures = api.events(action="authn_login", outcome="failure")
    reasons = [str(e.detail["reason"]) for e in failures]
    assert sorted(reasons) == ["inactive", "unknown_email", "wrong_password"]  # audited apart


def test_unknown_email_and_wrong_password_take_about_as_long(api: Api) -> None:
    # Each wrong password goes to its own account, so no account reaches its throttle (5);
    # 14 failures stay under the address's (20). Both paths verify one argon2id hash.
    rounds = 7
    accounts = [api.add_user() for _ in range(rounds)]
    attempt(api, "warm-up@example.com", WRONG)  # first-call costs out of the measurement
    unknown, wrong = [], []
    for n, account in enumerate(accounts):
        status_u, _, took_u = attempt(api, f"ghost-{n}@example.com", WRONG)
        status_w, _, took_w = attempt(api, account.email, WRONG)
        assert (status_u, status_w) == (401, 401)
        unknown.append(took_u)
        wrong.append(took_w)
    ratio = statistics.median(unknown) / statistics.median(wrong)
    assert 1 / 3 < ratio < 3, (unknown, wrong)
    # Both paths really hash: a login that skips the hash would be far quicker than ~20 ms.
    assert min(statistics.median(unknown), statistics.median(wrong)) > 0.01


def test_failures_for_one_account_are_throttled_and_other_accounts_are_not(
    make_api: Any,
) -> None:
    # With the deployed request rate limits on: they must not get in the way of this.
    api: Api = make_api(clock=FakeClock(), PRICING_RATE_LIMIT_ENABLED="true")
    victim, bystander = api.add_user(), api.add_user()
    for _ in range(5):
        assert attempt(api, victim.email, WRONG)[0] == 401
    locked = api.client.post(LOGIN, json={"email": victim.email, "password": PASSWORD})
    assert locked.status_code == 429  # even the right password waits: nothing is hashed
    retry_after = int(locked.headers["retry-after"])
    assert 0 < retry_after <= 15 * 60
    assert locked.json()["retry_after"] == retry_after
    # The same problem type as the request rate limit's 429; the code says which quota.
    assert locked.headers["content-type"].startswith("application/problem+json")
    assert locked.json()["type"] == "https://job-pricing.dev/problems/quota-exceeded"
    assert locked.json()["code"] == "too_many_attempts"
    # Case and spaces do not make another account key.
    upper = api.client.post(LOGIN, json={"email": f" {victim.email.upper()} ", "password": WRONG})
    assert upper.status_code == 429

    assert api.login(bystander.email)["token_type"] == "bearer"
    throttled = api.events(action="authn_login", outcome="failure", target_id="")
    assert any(e.detail.get("reason") == "throttled" for e in throttled)

    assert api.clock is not None
    api.clock.advance(seconds=retry_after)
    assert api.login(victim.email)["token_type"] == "bearer"
