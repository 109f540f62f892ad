"""The same input answers the same JSON over REST and from `pricing price --json`.

Both run on one container (CliRunner with `obj=`): same data, same clock, same policy.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.api.conftest import SURVEY, Api

CASES: dict[str, dict[str, Any]] = {
    "one match": {
        "matches": [{"source": "oews-2025", "job_code": "15-1252"}],
        "area": "0041940",
        "date": "2026-01-01",
    },
    "title, level from its words": {"title": "Senior Software Engineer", "area": "San Jose"},
    "title with every option": {
        "title": "registered nurse",
        "area": "0000000",
        "percentile": 25,
        "positioning": "0.05",
        "spread": 0.4,
        "aging_rate": "0.02",
        "date": "2026-06-30",
    },
    "fallback to the state": {
        "matches": [{"source": "oews-2025", "job_code": "29-1211"}],
        "area": "0010180",
    },
    "industry cut": {
        "matches": [{"source": "oews-2025", "job_code": "151252"}],
        "area": "0000000",
        "industry": "541500",
    },
    "industry fallback": {
        "matches": [{"source": "oews-2025", "job_code": "15-1252"}],
        "area": "0041940",
        "industry": "622000",
        "level": "expert",
    },
    "top-coded": {
        "matches": [{"source": "oews-2025", "job_code": "29-1211"}],
        "area": "0024340",
        "percentile": 90,
    },
    "composite of qualities": {
        "matches": [
            {"source": "oews-2025", "job_code": "15-1252", "quality": "exact"},
            {"source": "oews-2025", "job_code": "15-1253", "quality": "close", "adjustment": 0.05},
            {
                "source": "oews-2025",
                "job_code": "11-3021",
                "quality": "partial",
                "adjustment": -0.1,
            },
        ],
        "area": "Seattle",
        "level": "senior",
    },
}


def cli_args(body: dict[str, Any]) -> list[str]:
    """`pricing price` options for a quote body."""
    args = ["price", "--area", body["area"]]
    if "title" in body:
        args += ["--title", body["title"]]
    for m in body.get("matches", []):
        spec = [m["source"], m["job_code"], m.get("quality", "exact"), str(m.get("adjustment", 0))]
        args += ["--match", ":".join(spec)]
    for key in ("industry", "date", "percentile", "level", "positioning", "spread", "aging_rate"):
        if key in body:
            args += [f"--{key.replace('_', '-')}", str(body[key])]
    return args


def both(api: Api, body: dict[str, Any]) -> tuple[Any, Any, int, Any]:
    response = api.quote(body)
    code, printed = api.cli(*cli_args(body))
    return response.status_code, response.json(), code, printed


@pytest.mark.parametrize("name", list(CASES))
def test_the_quote_is_what_the_command_line_prints(api: Api, name: str) -> None:
    status, rest, code, cli = both(api, CASES[name])
    assert (status, code) == (200, 0), (rest, cli)
    assert rest == cli
    assert ("title_match" in rest) == ("title" in CASES[name])


def test_the_cases_cover_what_they_claim(api: Api) -> None:
    def notes(name: str) -> list[str]:
        return [n for c in api.quote(CASES[name]).json()["contributions"] for n in c["notes"]]

    assert notes("fallback to the state") == ["geo_fallback_state"]
    assert notes("industry fallback") == ["industry_fallback"]
    assert api.quote(CASES["top-coded"]).json()["lower_bound"] == ["p90"]
    assert api.quote(CASES["industry cut"]).json()["industry"] == "541500"


def test_a_composite_with_a_survey_uploaded_through_the_api(fresh_api: Api) -> None:
    uploaded = fresh_api.upload(SURVEY, months_per_year="13")
    assert uploaded.status_code == 200, uploaded.text
    body = {
        "matches": [
            {"source": "mercer-2025", "job_code": "ENG-SWE-P3"},
            {"source": "oews-2025", "job_code": "15-1252", "quality": "close"},
        ],
        "area": "0041940",
        "date": "2026-01-01",
    }
    status, rest, code, cli = both(fresh_api, body)
    assert (status, code) == (200, 0), rest
    assert rest == cli
    assert set(rest["dataset_versions"]) == {"mercer-2025", "oews-2025"}
    assert [c["score"] is not None for c in rest["contributions"]] == [True, True]


@pytest.mark.parametrize(
    "change",
    [
        {"area": "Portland"},
        {"area": "Atlantis"},
        {"percentile": 40, "level": "senior"},
        {"matches": [{"source": "mercer-1999", "job_code": "X"}]},
    ],
)
def test_a_refusal_carries_the_same_code_and_message(api: Api, change: dict[str, Any]) -> None:
    status, rest, code, cli = both(api, {**CASES["one match"], **change})
    assert status == 422
    assert code != 0
    assert (rest["code"], rest["detail"]) == (cli["error"]["code"], cli["error"]["message"])
