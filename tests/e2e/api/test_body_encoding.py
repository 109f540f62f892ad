"""A JSON body that is not UTF-8 is the caller's 400 naming the body, on every JSON route."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest

from pricing_adapters.bootstrap import build_container
from pricing_api.http.app import create_app
from pricing_api.http.body import NOT_UTF8
from pricing_core.access.roles import Role
from tests.e2e.api.conftest import Api
from tests.gear.worlds import settings_for

LATIN1_BODY = b'{"email": "\xff@x.test", "password": "aaaaaaaaaaaaaaaaaa"}'


def json_operations() -> list[tuple[str, str]]:
    """(method, path) of every operation whose request body is JSON, path ids filled in."""
    with tempfile.TemporaryDirectory() as data_dir:  # building the app stores nothing
        app = create_app(build_container(settings_for(Path(data_dir))))
    document = app.openapi_schema.to_schema()
    found = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            content = (operation.get("requestBody") or {}).get("content", {})
            if "application/json" in content:
                found.append((method.upper(), path.replace("{", "").replace("}", "")))
    return sorted(found)


OPERATIONS = json_operations()


def test_the_login_of_the_issue_answers_400_naming_the_body(api: Api) -> None:
    response = api.client.post(
        "/api/v1/auth/login", content=LATIN1_BODY, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["errors"] == [{"field": "body", "message": NOT_UTF8}]


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_every_json_route_refuses_invalid_utf8_with_a_400(api: Api, method: str, path: str) -> None:
    response = api.client.request(
        method,
        path,
        content=LATIN1_BODY,
        headers={**api.headers(Role.ADMIN), "content-type": "application/json"},
    )
    assert response.status_code == 400, response.text
    assert response.json()["errors"][0]["field"] == "body"


def test_the_routes_read_are_the_json_ones() -> None:
    assert ("POST", "/api/v1/auth/login") in OPERATIONS
    assert len(OPERATIONS) >= 10
