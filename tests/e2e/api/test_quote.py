"""POST /api/v1/pricing/quote: the result JSON of pricing-method.md, and every bad input named."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from litestar import Controller, post
from litestar.params import JSONBody
from litestar.testing import TestClient

from pricing_api.http.app import create_app
from pricing_api.http.quote_schema import ExactJsonRequest, QuoteBody, QuoteOut
from pricing_api.http.security import PUBLIC
from pricing_core.access.roles import Role
from tests.e2e.api.conftest import Api

PROBLEM = "application/problem+json"
SWE = {"source": "oews-2025", "job_code": "15-1252"}
BASE: dict[str, Any] = {"matches": [SWE], "area": "0041940", "date": "2026-01-01"}


def problem_of(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert {"type", "title", "detail"} <= set(body)
    return body


def fields(body: dict[str, Any]) -> list[str]:
    return [error["field"] for error in body.get("errors", [])]


@pytest.mark.parametrize("role", list(Role))
def test_every_role_prices_a_match(api: Api, role: Role) -> None:
    response = api.quote(BASE, role)
    assert response.status_code == 200, response.text
    body = response.json()
    msgspec.convert(body, QuoteOut)  # the documented shape
    assert body["market"]["p50"] == 217184.13
    assert body["range"] == {
        "minimum": 173700,
        "midpoint": 217200,
        "maximum": 260600,
        "spread": 0.5,
    }
    assert body["area"] == {"code": "0041940", "name": "San Jose-Sunnyvale-Santa Clara, CA"}
    assert body["dataset_versions"] == {"oews-2025": "2025A01"}
    assert "title_match" not in body


def test_a_title_is_matched_and_the_choice_shown(api: Api) -> None:
    body = api.quote({"title": "Senior Software Engineer", "area": "San Jose"}).json()
    msgspec.convert(body, QuoteOut)
    match = body["title_match"]
    assert match["title"] == "Senior Software Engineer"
    assert match["chosen"] == "15-1252"
    assert match["candidates"][0]["job_code"] == "15-1252"
    assert len(match["candidates"]) > 1  # the alternatives, with their scores and reasons
    assert all({"score", "reason", "title"} <= set(c) for c in match["candidates"])
    assert body["level"] == "senior"
    assert body["target_percentile"] == 75
    assert body["pricing_date"] == "2026-01-01"  # the clock's today


class Probe(Controller):
    """The quote body as the quote route reads it, shown back as text."""

    path = "/probe"
    request_class = ExactJsonRequest

    @post("/quote-body", opt=PUBLIC, status_code=200, sync_to_thread=False)
    def echo(self, data: JSONBody[QuoteBody]) -> dict[str, str]:
        quote = data.to_quote()
        return {"adjustment": str(quote.matches[0].adjustment), "spread": str(quote.options.spread)}


def test_money_is_read_exactly_from_numbers_and_strings(api: Api) -> None:
    app = create_app(api.container, extra=[Probe])
    digits = "0.1000000000000000002"  # a float would read 0.1
    with TestClient(app) as client:
        for raw in (digits, f'"{digits}"'):
            match = f'{{"source": "oews-2025", "job_code": "15-1252", "adjustment": {raw}}}'
            content = f'{{"area": "0041940", "spread": {raw}, "matches": [{match}]}}'
            response = client.post(
                "/probe/quote-body", content=content, headers={"content-type": "application/json"}
            )
            assert response.json() == {"adjustment": digits, "spread": digits}
    as_number = api.quote({**BASE, "matches": [{**SWE, "adjustment": 0.05}], "spread": 0.4})
    as_text = api.quote({**BASE, "matches": [{**SWE, "adjustment": "0.05"}], "spread": "0.40"})
    assert as_number.status_code == 200
    assert as_number.json() == as_text.json()
    assert as_number.json()["market"]["p50"] == round(217184.13 * 1.05, 2)


def test_an_ambiguous_area_lists_its_candidates(api: Api) -> None:
    body = problem_of(api.quote({**BASE, "area": "Portland"}), 422)
    assert body["code"] == "unknown_area"
    assert fields(body) == ["area"]
    names = {c["name"] for c in body["candidates"]}
    assert {"Portland-Vancouver-Hillsboro, OR-WA", "Portland-South Portland, ME"} <= names


@pytest.mark.parametrize(
    ("change", "status", "code", "field"),
    [
        ({"area": "Atlantis"}, 422, "unknown_area", "area"),
        ({"matches": [{**SWE, "source": "mercer-1999"}]}, 422, "unknown_source", "source"),
        ({"industry": "999999"}, 422, "invalid_request", "industry"),
        ({"percentile": 95}, 400, "invalid_request", "percentile"),
        ({"percentile": 5}, 400, "invalid_request", "percentile"),
        ({"percentile": 40, "level": "senior"}, 422, "invalid_request", "percentile"),
        ({"level": "galactic"}, 400, "invalid_request", "level"),
        ({"date": "2026-13-01"}, 400, "invalid_request", "date"),
        ({"date": "01/02/2026"}, 400, "invalid_request", "date"),
        ({"spread": "abc"}, 400, "invalid_request", "spread"),
        ({"spread": "5"}, 422, "invalid_request", "spread"),
        ({"positioning": "NaN"}, 422, "invalid_request", "positioning"),
        ({"aging_rate": "Infinity"}, 422, "invalid_request", "aging_rate"),
        ({"matches": [{**SWE, "adjustment": 0.5}]}, 422, "invalid_request", "adjustment"),
        ({"matches": [{**SWE, "quality": "great"}]}, 400, "invalid_request", "matches[0].quality"),
        ({"salary": 100000}, 400, "invalid_request", "salary"),
        ({"matches": [{**SWE, "weight": 2}]}, 400, "invalid_request", "matches[0].weight"),
        ({"title": "Software developer"}, 422, "invalid_request", "title"),
        ({"matches": []}, 422, "invalid_request", "title"),
        ({"area": None}, 400, "invalid_request", "area"),
        ({"matches": [{**SWE, "job_code": "  "}]}, 422, "invalid_request", "request"),
    ],
)
def test_bad_input_is_a_problem_naming_the_field(
    api: Api, change: dict[str, Any], status: int, code: str, field: str
) -> None:
    body = problem_of(api.quote({**BASE, **change}), status)
    assert body["code"] == code
    assert field in fields(body), body


def test_a_missing_area_and_a_body_that_is_not_an_object(api: Api) -> None:
    body = problem_of(api.quote({"matches": [SWE]}), 400)
    assert fields(body) == ["area"]
    response = api.client.post(
        "/api/v1/pricing/quote",
        content=b"{not json",
        headers={**api.headers(), "content-type": "application/json"},
    )
    problem_of(response, 400)
    problem_of(api.client.post("/api/v1/pricing/quote", json=[1], headers=api.headers()), 400)


def test_a_percentile_the_market_cannot_reach(api: Api) -> None:
    # Grand Rapids physicians: P90 is top-coded (a lower bound), P90 still prices...
    top = {**BASE, "matches": [{**SWE, "job_code": "29-1211"}], "area": "0024340"}
    body = api.quote({**top, "percentile": 90}).json()
    assert body["lower_bound"] == ["p90"]
    assert any("lower bound" in w for w in body["warnings"])


def test_no_market_data_is_explained(api: Api) -> None:
    body = problem_of(api.quote({**BASE, "matches": [{**SWE, "job_code": "99-9999"}]}), 422)
    assert body["code"] == "no_market_data"
    assert body["excluded"] == [{"source": "oews-2025", "job_code": "99-9999", "reason": "no_data"}]


def test_credentials_are_required_and_bodies_are_limited(api: Api) -> None:
    problem_of(api.client.post("/api/v1/pricing/quote", json=BASE), 401)
    bad = {"Authorization": "Bearer not-a-token"}
    problem_of(api.client.post("/api/v1/pricing/quote", json=BASE, headers=bad), 401)
    huge = {**BASE, "title": "x" * 70_000}
    problem_of(api.client.post("/api/v1/pricing/quote", json=huge, headers=api.headers()), 413)
