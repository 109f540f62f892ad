"""Hostile input answers 4xx naming the field, on SQLite and on PostgreSQL — never a 500.

PostgreSQL refuses NUL in text and has bounded integers and dates; each of these reached a
query (and a 500) before being refused at the edge.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pricing_api.cli import cli
from pricing_core.access.roles import Role
from tests.e2e.api.conftest import Api

NUL = "\x00"


def refused(response: object, status: int, field: str) -> None:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    assert response.headers["content-type"].startswith("application/problem+json")  # type: ignore[attr-defined]
    assert field in response.text  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/v1/audit-logs", {"actor": f"a{NUL}b"}, "actor"),
        ("/api/v1/pricing-requests", {"job_code": NUL}, "job_code"),
        ("/api/v1/recommendations", {"created_by": NUL}, "created_by"),
        ("/api/v1/market/cuts", {"source": NUL, "job_code": "15-1252", "area": "06"}, "source"),
        ("/api/v1/market/sources/x%00y/versions", {}, "source"),
    ],
)
def test_nul_in_a_path_or_query_value_is_named(
    sql_api: Api, path: str, params: dict[str, str], field: str
) -> None:
    refused(sql_api.get(path, Role.ADMIN, **params), 422, field)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"area": f"0{NUL}6", "matches": [{"source": "oews-2025", "job_code": "15-1252"}]}, "area"),
        ({"area": "06", "matches": [{"source": "oews-2025", "job_code": f"15{NUL}"}]}, "job_code"),
    ],
)
def test_nul_in_a_body_field_is_named(sql_api: Api, body: dict[str, object], field: str) -> None:
    refused(sql_api.quote(body), 400, field)


def test_nul_in_a_login_email_is_a_400_not_a_500(sql_api: Api) -> None:
    response = sql_api.client.post(
        "/api/v1/auth/login", json={"email": f"a{NUL}@example.com", "password": "x" * 20}
    )
    refused(response, 400, "email")


def test_a_login_body_nested_thousands_deep_is_refused(sql_api: Api) -> None:
    response = sql_api.client.post(
        "/api/v1/auth/login", content=b"[" * 5000, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400, response.text


@pytest.mark.parametrize("path", ["/api/v1/audit-logs", "/api/v1/auth/users"])
def test_an_offset_past_any_table_is_refused(sql_api: Api, path: str) -> None:
    refused(sql_api.get(path, Role.ADMIN, offset=10**20), 400, "offset")


def test_an_audit_time_past_year_9999_in_utc_is_named(sql_api: Api) -> None:
    response = sql_api.get("/api/v1/audit-logs", Role.ADMIN, until="9999-12-31T23:59:59-12:00")
    refused(response, 422, "until")


def test_resetting_statement_figures_deletes_only_their_files(tmp_path: Path) -> None:
    from click.testing import CliRunner

    keep = tmp_path / "pricing.db"
    keep.write_bytes(b"not figures")
    (tmp_path / "12345.json").write_text("{}")
    env = {"PRICING_DATA_DIR": str(tmp_path), "PRICING_QUERY_STATS_DIR": str(tmp_path)}
    result = CliRunner().invoke(cli, ["db", "stats", "--reset"], env=env)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pricing.db"]


QUOTE = {"area": "0041940", "matches": [{"source": "oews-2025", "job_code": "15-1252"}]}


@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "2101-01-01", "9999-12-31"])
def test_a_quote_dated_outside_1900_to_2100_is_refused_naming_the_date(api: Api, day: str) -> None:
    refused(api.quote({**QUOTE, "date": day}), 422, "date")


def test_a_saved_request_dated_outside_1900_to_2100_is_refused(api: Api) -> None:
    response = api.client.post(
        "/api/v1/pricing-requests",
        json={**QUOTE, "date": "0001-01-01"},
        headers=api.headers(Role.HR_ANALYST),
    )
    refused(response, 422, "date")


def test_the_cli_refuses_the_same_dates(api: Api) -> None:
    code, answer = api.cli(
        "price", "--match", "oews-2025:15-1252", "--area", "0041940", "--date", "0001-01-01"
    )
    assert code != 0
    assert "date" in str(answer)
    assert "1900-01-01" in str(answer)


def test_the_bounds_themselves_are_accepted(api: Api) -> None:
    assert api.quote({**QUOTE, "date": "1900-01-01"}).status_code == 200
    # Data from 2025 is too old by 2100: a pricing answer, not a refused date.
    assert api.quote({**QUOTE, "date": "2100-12-31"}).json()["code"] == "no_market_data"
