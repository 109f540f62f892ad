"""The same failure answers the same error `code` from the command line (`--json`) and the
HTTP API, and the command line's exit code follows its one table; a refused import changes
nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from pricing_api.cli import cli
from pricing_api.cli.common import exit_code
from pricing_core import errors
from tests.e2e.api.conftest import HEADER, SURVEY, Api

BAD = HEADER + "ENG-1,Engineer,0041940,,USD,2025-11-01,,,-5,,,annual,,\n"
PRICE = {"matches": [{"source": "oews-2025", "job_code": "15-1252"}], "area": "0041940"}


def _survey(api: Api, tmp_path: Path, content: str, source: str) -> tuple[Any, list[str]]:
    path = tmp_path / "survey.csv"
    path.write_text(content)
    response = api.upload(content, source=source)
    return response, ["market", "import-survey", str(path), "--source", source]


# name → (what the API is sent, the command line's arguments), the code both answer, exit.
Case = Callable[[Api, Path], tuple[Any, list[str]]]
CASES: dict[str, tuple[Case, str, int]] = {
    "activate an unknown version": (
        lambda api, _: (
            api.client.post(
                "/api/v1/market/sources/oews-2025/versions/nope/activate", headers=api.headers()
            ),
            ["market", "activate", "oews-2025", "nope"],
        ),
        "not_found",
        3,
    ),
    "activate in an unknown source": (
        lambda api, _: (
            api.client.post(
                "/api/v1/market/sources/nope/versions/v1/activate", headers=api.headers()
            ),
            ["market", "activate", "nope", "v1"],
        ),
        "not_found",
        3,
    ),
    "versions of an unknown source": (
        lambda api, _: (
            api.get("/api/v1/market/sources/nope/versions"),
            ["market", "versions", "nope"],
        ),
        "not_found",
        3,
    ),
    "a survey under the OEWS source's name": (
        lambda api, tmp: _survey(api, tmp, SURVEY, "oews-2025"),
        "source_kind_conflict",
        4,
    ),
    "a source name with capitals and a space": (
        lambda api, tmp: _survey(api, tmp, SURVEY, "Mercer 2025"),
        "invalid_request",
        2,
    ),
    "a source name of 65 characters": (
        lambda api, tmp: _survey(api, tmp, SURVEY, "m" * 65),
        "invalid_request",
        2,
    ),
    "a file with a bad row": (
        lambda api, tmp: _survey(api, tmp, BAD, "mercer-2025"),
        "import_rejected",
        1,
    ),
    "a quote from a source not loaded": (
        lambda api, _: (
            api.quote({**PRICE, "matches": [{"source": "mercer-1999", "job_code": "X"}]}),
            ["price", "--match", "mercer-1999:X", "--area", "0041940"],
        ),
        "unknown_source",
        2,
    ),
    "a quote in an unknown area": (
        lambda api, _: (
            api.quote({**PRICE, "area": "Atlantis"}),
            ["price", "--match", "oews-2025:15-1252", "--area", "Atlantis"],
        ),
        "unknown_area",
        2,
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_the_command_line_and_the_api_answer_the_same_code(
    fresh_api: Api, tmp_path: Path, name: str
) -> None:
    case, code, exit_code = CASES[name]
    before = fresh_api.get("/api/v1/market/sources").json()
    response, args = case(fresh_api, tmp_path)
    assert response.status_code >= 400, response.text
    assert response.json()["code"] == code
    status, printed = fresh_api.cli(*args)
    assert printed["error"]["code"] == code, printed
    assert status == exit_code
    assert fresh_api.get("/api/v1/market/sources").json() == before  # nothing changed


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (errors.NoMarketData("none"), 1),
        (errors.PercentileUnavailable(90, [50]), 1),
        (errors.InvalidRequest("area", "empty"), 2),
        (errors.UnknownArea("x"), 2),
        (errors.UnknownSource("x"), 2),
        (errors.UnknownVersion("s", "v"), 3),
        (errors.SourceNotFound("s"), 3),
        (errors.SourceKindConflict("s", "public", "survey"), 4),
        (errors.EmailTaken(), 4),
        (errors.Forbidden("no"), 5),
        (errors.NotAuthenticated(), 5),
        (errors.ServiceUnavailable("down"), 6),
        (errors.RevocationUnavailable("down"), 6),
    ],
)
def test_the_exit_code_follows_the_core_error_class(error: errors.PricingError, code: int) -> None:
    assert exit_code(error) == code


def test_a_refused_survey_leaves_the_shipped_source_pricing_titles(fresh_api: Api) -> None:
    """Before: the survey replaced oews-2025, title quotes answered 422 and /match 500."""
    body = fresh_api.upload(SURVEY, source="oews-2025").json()
    assert (body["code"], body["status"]) == ("source_kind_conflict", 409)
    assert "oews-2025" in body["detail"]
    title = {"title": "Senior Software Engineer", "area": "San Jose"}
    assert fresh_api.quote(title).status_code == 200
    match = fresh_api.get("/api/v1/market/match", title="Software Engineer")
    assert match.status_code == 200
    (source,) = fresh_api.get("/api/v1/market/sources").json()["items"]
    assert (source["kind"], source["active_version"]) == ("public", "2025A01")
    (event,) = fresh_api.events(action="market_import", outcome="failure")
    assert event.detail["error"] == "source_kind_conflict"


def test_import_areas_is_audited_as_the_command_line(fresh_api: Api, tmp_path: Path) -> None:
    path = tmp_path / "sg.csv"
    path.write_text("code,name,kind,parent\nSG,Singapore,national,\n")
    result = CliRunner().invoke(
        cli, ["market", "import-areas", str(path), "--json"], obj=fresh_api.container
    )
    assert result.exit_code == 0, result.output
    (event,) = fresh_api.events(action="market_import")
    assert (event.actor, event.outcome, event.target_type) == (
        "system:cli",
        "success",
        "market_areas",
    )
    assert (event.detail["areas"], event.detail["file"]) == (1, "sg.csv")
    assert fresh_api.get("/api/v1/market/areas", q="SG").json()["items"][0]["code"] == "SG"
