"""The schema is exactly as strict as the server: what Schemathesis against a live server found.

Each test pins one disagreement the live run (scripts/schemathesis_live.py, `nox -s
schemathesis`) reported, so that it stays fixed even where few examples would miss it.
"""

from __future__ import annotations

from typing import Any

import pytest

from pricing_core.access.roles import Role
from tests.e2e.api.conftest import Api


def document(api: Api) -> dict[str, Any]:
    schema: dict[str, Any] = api.app.openapi_schema.to_schema()
    return schema


def test_a_405_says_which_methods_the_route_allows(api: Api) -> None:
    answer = api.client.request("TRACE", "/api/v1/auth/login")
    assert answer.status_code == 405
    assert sorted(answer.headers["allow"].split(", ")) == ["OPTIONS", "POST"]


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/api/v1/auth/api-keys", "GET, OPTIONS, POST"),
        ("/api/v1/auth/users/some-id", "DELETE, GET, OPTIONS"),
        ("/api/v1/settings/pricing-policy", "GET, OPTIONS, PUT"),
    ],
)
def test_options_lists_every_method_of_the_route(api: Api, path: str, allowed: str) -> None:
    assert api.client.options(path).headers["allow"] == allowed


def test_every_body_schema_refuses_unknown_fields_as_the_server_does(api: Api) -> None:
    schemas = document(api)["components"]["schemas"]
    bodies = [name for name in schemas if name.endswith("Body")]
    assert len(bodies) >= 10
    assert {name: schemas[name].get("additionalProperties") for name in bodies} == dict.fromkeys(
        bodies, False
    )
    assert schemas["SurveyUpload"]["additionalProperties"] is False  # the upload form
    assert schemas["PolicyChanges"]["additionalProperties"] is False
    answer = api.client.post(
        "/api/v1/auth/login", json={"email": "a@example.com", "password": "x" * 20, "extra": 1}
    )
    assert answer.status_code == 400


@pytest.mark.parametrize("until", ["0.5", "1700000000", "2026-01-01", "yesterday"])
def test_audit_times_are_iso_8601_only(api: Api, until: str) -> None:
    answer = api.get("/api/v1/audit-logs", Role.ADMIN, until=until)
    assert answer.status_code == 400, answer.text
    assert answer.json()["errors"][0]["field"] == "until"


@pytest.mark.parametrize(
    "until", ["2026-01-01T00:00:00Z", "2026-01-01T00:00", "2026-01-01T09:30:00+02:00"]
)
def test_audit_times_with_or_without_an_offset_are_read(api: Api, until: str) -> None:
    assert api.get("/api/v1/audit-logs", Role.ADMIN, until=until).status_code == 200


def test_every_operation_with_parameters_documents_its_422(api: Api) -> None:
    undocumented = [
        (method, path)
        for path, operations in document(api)["paths"].items()
        for method, operation in operations.items()
        if any(p["in"] in {"path", "query"} for p in operation.get("parameters", ()))
        and "422" not in operation["responses"]
    ]
    assert undocumented == []
    nul = api.get("/api/v1/audit-logs", Role.ADMIN, action="a\x00b")
    assert nul.status_code == 422


def test_a_whole_number_written_with_a_fraction_is_an_integer(api: Api) -> None:
    body = {"area": "0041940", "matches": [{"source": "oews-2025", "job_code": "15-1252"}]}
    answer = api.client.post(
        "/api/v1/pricing/quote",
        content=b'{"area": "0041940", "matches": [{"source": "oews-2025", "job_code": '
        b'"15-1252"}], "percentile": 56.0, "spread": 1.00}',
        headers={**api.headers(Role.VIEWER), "content-type": "application/json"},
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["target_percentile"] == 56
    assert api.quote({**body, "percentile": 56.5}).status_code in {400, 422}


def test_policy_weights_are_documented_as_numbers(api: Api) -> None:
    changes = document(api)["components"]["schemas"]["PolicyChanges"]["properties"]
    for name in ("source_weights", "quality_weights", "range_spreads"):
        values = changes[name]["oneOf"][0]["additionalProperties"]["oneOf"]
        assert [v["type"] for v in values] == ["number", "string"], name
    answer = api.client.put(
        "/api/v1/settings/pricing-policy",
        json={"range_spreads": {"senior": "not a number"}},
        headers=api.headers(Role.ADMIN),
    )
    assert answer.status_code == 400
