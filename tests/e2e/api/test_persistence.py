"""Market data imported and activated through the API lasts, on SQLite and on PostgreSQL:
another app on the same database sees the same versions, the same active one and the same
prices, and the audit rows are stored."""

from __future__ import annotations

from pathlib import Path

from litestar.testing import TestClient

from pricing_adapters.bootstrap import Ports, build_container
from pricing_adapters.clock import FixedClock
from pricing_api.http.app import create_app
from pricing_core.access.roles import Role
from tests.e2e.api.conftest import SURVEY, T0, Api
from tests.gear.worlds import settings_for

QUOTE = {
    "matches": [{"source": "mercer-2025", "job_code": "ENG-SWE-P3"}],
    "area": "San Jose",
    "date": "2026-01-01",
}
CUT = {"source": "mercer-2025", "job_code": "ENG-SWE-P3", "area": "0041940"}


def test_imports_and_activation_last(sql_api: Api, database_url: str, tmp_path: Path) -> None:
    api = sql_api
    assert api.upload(SURVEY, label="nov").status_code == 200
    raised = api.upload(SURVEY.replace("15000", "16500"), label="dec")
    assert raised.status_code == 200, raised.text
    december = api.quote(QUOTE).json()
    assert december["dataset_versions"] == {"mercer-2025": "dec"}
    activated = api.client.post(
        "/api/v1/market/sources/mercer-2025/versions/nov/activate", headers=api.headers()
    )
    assert activated.status_code == 200, activated.text
    november = api.quote(QUOTE).json()
    assert november["dataset_versions"] == {"mercer-2025": "nov"}
    assert november["market"]["p50"] < december["market"]["p50"]
    args = ["--match", "mercer-2025:ENG-SWE-P3", "--area", "San Jose", "--date", "2026-01-01"]
    code, printed = api.cli("price", *args)
    assert (code, printed) == (0, november)
    assert [e.detail for e in api.events(action="market_activate")] == [
        {"version": "nov", "previous": "dec"}
    ]

    # Another app on the same database (and key): what was stored is what it serves.
    settings = settings_for(tmp_path, database_url, PRICING_BUNDLED_DATA="false")
    other = build_container(settings, ports=Ports(clock=FixedClock(T0)))
    with TestClient(create_app(other)) as client:
        headers = {"Authorization": f"Bearer {api.tokens[Role.VIEWER]}"}
        sources = client.get("/api/v1/market/sources", headers=headers)
        assert sources.status_code == 200, sources.text
        listed = {s["source"]: s for s in sources.json()["items"]}
        assert listed["mercer-2025"]["active_version"] == "nov"
        assert listed["mercer-2025"]["rows"] == 3
        versions = client.get("/api/v1/market/sources/mercer-2025/versions", headers=headers)
        assert [v["version"] for v in versions.json()["items"]] == ["dec", "nov"]
        cut = client.get("/api/v1/market/cuts", params=CUT, headers=headers).json()
        assert cut["version"] == "nov"
        again = client.post("/api/v1/pricing/quote", json=QUOTE, headers=headers).json()
        assert again["market"] == november["market"]
    other.engine.dispose()  # type: ignore[union-attr]


def test_a_rejected_import_leaves_no_trace_but_its_audit_row(sql_api: Api) -> None:
    bad = SURVEY.replace("15000", "-1")
    assert sql_api.upload(bad).status_code == 422
    assert sql_api.get("/api/v1/market/sources").json()["items"] == []
    (event,) = sql_api.events(action="market_import")
    assert (event.outcome, event.detail["problem_count"]) == ("failure", 1)


def test_each_role_reads_and_only_admin_writes(sql_api: Api) -> None:
    for role in Role:
        assert sql_api.get("/api/v1/market/areas", role, q="san jose").json()["total"] == 1
        expected = 200 if role is Role.ADMIN else 403
        assert sql_api.upload(SURVEY, role=role, label=f"by-{role}").status_code == expected
