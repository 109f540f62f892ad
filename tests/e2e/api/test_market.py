"""/api/v1/market: sources, versions, activation, areas, occupations, matches and raw cuts."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from pricing_api.http.market_schema import (
    AreaPage,
    CutOut,
    MatchOut,
    OccupationPage,
    SourcePage,
    VersionPage,
)
from pricing_core.access.roles import Role
from tests.e2e.api.conftest import SURVEY, Api
from tests.e2e.api.test_quote import fields, problem_of

READS = [
    "/api/v1/market/sources",
    "/api/v1/market/sources/oews-2025/versions",
    "/api/v1/market/areas",
    "/api/v1/market/occupations",
    "/api/v1/market/match?title=nurse",
    "/api/v1/market/cuts?source=oews-2025&job_code=15-1252&area=0041940",
]


@pytest.mark.parametrize("path", READS)
def test_every_role_reads_market_data_and_strangers_do_not(api: Api, path: str) -> None:
    for role in Role:
        assert api.client.get(path, headers=api.headers(role)).status_code == 200
    problem_of(api.client.get(path), 401)


def test_sources_as_the_command_line_lists_them(api: Api) -> None:
    body = api.get("/api/v1/market/sources").json()
    msgspec.convert(body, SourcePage)
    assert body["total"] == 1
    _, printed = api.cli("market", "sources")
    assert body["items"] == printed
    oews = body["items"][0]
    assert (oews["source"], oews["active_version"], oews["rows"]) == (
        "oews-2025",
        "2025A01",
        370172,
    )
    assert oews["imported_at"].startswith("2026-01-01T12:00:00")


def test_versions_and_an_unknown_source(api: Api) -> None:
    body = api.get("/api/v1/market/sources/oews-2025/versions").json()
    msgspec.convert(body, VersionPage)
    _, printed = api.cli("market", "versions", "oews-2025")
    assert body["items"] == printed
    assert body["items"][0]["active"] is True
    missing = problem_of(api.get("/api/v1/market/sources/mercer-1999/versions"), 404)
    assert missing["source"] == "mercer-1999"


def test_areas_by_name_and_code_paged(api: Api) -> None:
    body = api.get("/api/v1/market/areas", q="san jose").json()
    msgspec.convert(body, AreaPage)
    _, printed = api.cli("areas", "search", "san jose")
    assert body["items"] == printed
    assert body["items"][0]["code"] == "0041940"
    every = api.get("/api/v1/market/areas", limit=200).json()
    assert every["total"] > 500
    assert len(every["items"]) == 200
    second = api.get("/api/v1/market/areas", limit=200, offset=200).json()
    assert {a["code"] for a in every["items"]}.isdisjoint(a["code"] for a in second["items"])
    assert api.get("/api/v1/market/areas", q="0600000").json()["items"][0]["name"] == "California"


# Each read, the command that prints the same shape, and the struct the schema documents.
SHAPES: list[tuple[str, dict[str, Any], list[str], type[Any]]] = [
    ("/api/v1/market/sources", {}, ["market", "sources"], SourcePage),
    (
        "/api/v1/market/sources/oews-2025/versions",
        {},
        ["market", "versions", "oews-2025"],
        VersionPage,
    ),
    ("/api/v1/market/areas", {"q": "san jose"}, ["areas", "search", "san jose"], AreaPage),
    (
        "/api/v1/market/occupations",
        {"q": "nurse"},
        ["occupations", "search", "nurse", "--limit", "200"],
        OccupationPage,
    ),
    (
        "/api/v1/market/match",
        {"title": "Sr. Registered Nurse"},
        ["match", "Sr. Registered Nurse"],
        MatchOut,
    ),
]


@pytest.mark.parametrize(("path", "query", "command", "shape"), SHAPES)
def test_cli_and_api_print_exactly_the_documented_struct(
    api: Api, path: str, query: dict[str, Any], command: list[str], shape: type[Any]
) -> None:
    """No field more or less, no other spelling (timestamps end `Z`): both the answer and
    the command's `--json` come back unchanged through the struct the schema documents."""
    body = api.get(path, **query).json()
    assert msgspec.to_builtins(msgspec.convert(body, shape)) == body
    code, printed = api.cli(*command)
    assert code == 0
    assert printed == (body if shape is MatchOut else body["items"])
    stamps = [v for item in body.get("items", []) for k, v in item.items() if k.endswith("_at")]
    assert all(s.endswith("Z") for s in stamps if s is not None)


@pytest.mark.parametrize("params", [{"limit": 201}, {"limit": 0}, {"offset": -1}])
def test_pages_are_bounded(api: Api, params: dict[str, Any]) -> None:
    body = problem_of(api.get("/api/v1/market/areas", **params), 400)
    assert fields(body) == [next(iter(params))]


def test_occupations_by_words_and_code_prefix(api: Api) -> None:
    body = api.get("/api/v1/market/occupations", q="software").json()
    _, printed = api.cli("occupations", "search", "software", "--limit", "200")
    assert body["items"] == printed
    assert body["items"][0] == {"job_code": "15-1252", "title": "Software Developers"}
    by_code = api.get("/api/v1/market/occupations", q="15-12").json()
    assert all(o["job_code"].startswith("15-12") for o in by_code["items"])
    assert api.get("/api/v1/market/occupations").json()["total"] > 800


def test_match_ranks_candidates_as_the_command_line(api: Api) -> None:
    body = api.get("/api/v1/market/match", title="Sr. Registered Nurse", limit=3).json()
    msgspec.convert(body, MatchOut)
    _, printed = api.cli("match", "Sr. Registered Nurse", "--limit", "3")
    assert body == printed
    assert body["level"] == "senior"
    assert body["candidates"][0]["job_code"] == "29-1141"
    assert all(c["reason"] and 0 <= c["score"] <= 1 for c in body["candidates"])
    problem_of(api.get("/api/v1/market/match"), 400)
    problem_of(api.get("/api/v1/market/match", title="x", limit=51), 400)
    assert fields(problem_of(api.get("/api/v1/market/match", title="   "), 422)) == ["title"]


def test_a_cut_shows_the_stored_figures_and_their_states(api: Api) -> None:
    body = api.get(
        "/api/v1/market/cuts", source="oews-2025", job_code="291211", area="Grand Rapids"
    ).json()
    assert msgspec.to_builtins(msgspec.convert(body, CutOut)) == body
    assert body["area"] == {"code": "0024340", "name": "Grand Rapids-Wyoming-Kentwood, MI"}
    assert (body["version"], body["job_code"], body["industry"]) == ("2025A01", "29-1211", "000000")
    assert body["effective_date"] == "2025-05-12"
    assert body["percentiles"]["p50"] == {"state": "value", "value": 228760.0, "reason": None}
    assert body["percentiles"]["p90"] == {"state": "lower_bound", "value": None, "reason": None}
    assert body["top_code"] == 239200.0
    assert body["employment"] == 270
    assert body["wage_rse"] == 1.7


def test_a_suppressed_percentile_says_why(api: Api) -> None:
    # San Jose chief executives: the cut exists, BLS released none of its wages.
    body = api.get("/api/v1/market/cuts", source="oews-2025", job_code="11-1011", area="0041940")
    missing = {"state": "missing", "value": None, "reason": "suppressed"}
    assert body.json()["percentiles"] == {f"p{p}": missing for p in (10, 25, 50, 75, 90)}


@pytest.mark.parametrize(
    ("params", "status", "code", "field"),
    [
        ({"source": "mercer-1999"}, 422, "unknown_source", "source"),
        ({"area": "Atlantis"}, 422, "unknown_area", "area"),
        ({"area": "Portland"}, 422, "unknown_area", "area"),
        ({"job_code": "99-9999"}, 404, "not_found", None),
        ({"industry": "999999"}, 404, "not_found", None),
        ({"version": "1999A01"}, 404, "not_found", None),
    ],
)
def test_cuts_that_are_not_there(
    api: Api, params: dict[str, str], status: int, code: str, field: str | None
) -> None:
    query: dict[str, Any] = {"source": "oews-2025", "job_code": "15-1252", "area": "0041940"}
    query.update(params)
    body = problem_of(api.get("/api/v1/market/cuts", **query), status)
    assert body["code"] == code
    if field:
        assert fields(body) == [field]


def test_activation_rolls_back_and_forward_and_is_audited(fresh_api: Api) -> None:
    api = fresh_api
    first = api.upload(SURVEY, label="nov")
    second = api.upload(SURVEY.replace("15000", "16000"), label="dec")
    assert (first.status_code, second.status_code) == (200, 200), second.text
    versions = api.get("/api/v1/market/sources/mercer-2025/versions").json()["items"]
    assert [(v["version"], v["active"]) for v in versions] == [("dec", True), ("nov", False)]
    path = "/api/v1/market/sources/mercer-2025/versions/nov/activate"
    for role in (Role.VIEWER, Role.HR_ANALYST, Role.HR_MANAGER):
        problem_of(api.client.post(path, headers=api.headers(role)), 403)
    response = api.client.post(path, headers=api.headers(Role.ADMIN))
    assert response.status_code == 200, response.text
    assert response.json()["active_version"] == "nov"
    cut = api.get(
        "/api/v1/market/cuts", source="mercer-2025", job_code="ENG-SWE-P3", area="0041940"
    )
    assert cut.json()["version"] == "nov"
    assert cut.json()["percentiles"]["p50"]["value"] == 180000.0  # 15,000 a month × 12
    admin = api.container.access.users.by_email("admin@example.com")
    assert admin is not None
    (event,) = api.events(action="market_activate")
    assert (event.target_id, event.outcome, event.actor) == ("mercer-2025", "success", admin.id)
    assert event.detail == {"version": "nov", "previous": "dec"}
    unknown = "/api/v1/market/sources/mercer-2025/versions/jan/activate"
    problem_of(api.client.post(unknown, headers=api.headers()), 404)
    problem_of(api.client.post(unknown.replace("mercer-2025", "x"), headers=api.headers()), 404)
