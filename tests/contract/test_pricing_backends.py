"""The shipped OEWS data prices identically from memory, SQLite and PostgreSQL.

Each backend was seeded by `prepare()` (the first-use path); every request's `result_as_json`
(or error body) must be byte-for-byte the same on all three.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from pricing_adapters.bootstrap import Container
from pricing_adapters.importers.bundled import open_bundled
from pricing_core.errors import PricingError
from pricing_core.market.imports import ImportOutcome
from pricing_core.pricing.model import Match
from pricing_core.pricing.presenting import result_as_json
from tests.gear.requests import pricing_request

OEWS = "oews-2025"
WHEN = date(2026, 1, 1)
BACKENDS = ("memory", "sqlite", "postgresql")


def one(job: str, **options: Any) -> dict[str, Any]:
    return {"matches": [Match(source=OEWS, job_code=job)], "pricing_date": WHEN, **options}


REQUESTS = {
    "san jose developers": one("15-1252", area="0041940"),
    "san jose by name at P75": one(
        "151252", area="San Jose-Sunnyvale-Santa Clara, CA", percentile=75
    ),
    "national all occupations": one("00-0000", area="0000000"),
    "metro to state fallback": one("11-1011", area="0041940"),
    "state to national fallback": one("11-2011", area="0016940"),
    "industry cut nationally": one("15-1252", area="0000000", industry="541500"),
    "industry fallback in a metro": one("15-1252", area="0041940", industry="541500"),
    "top-coded P90": one("29-1211", area="0024340", percentile=90),
    "backward aging": one("15-1252", area="0041940", pricing_date=date(2024, 11, 1)),
    "senior with options": one(
        "15-1252",
        area="0600000",
        level="senior",
        positioning="0.05",
        spread="0.4",
        aging_rate="0.02",
    ),
    "composite of two matches": {
        "matches": [
            Match(source=OEWS, job_code="15-1252"),
            Match(source=OEWS, job_code="15-1253", quality="close", adjustment="0.05"),
        ],
        "area": "0041940",
        "pricing_date": WHEN,
    },
    "an excluded match": {
        "matches": [Match(source=OEWS, job_code="15-1252"), Match(source=OEWS, job_code="27-2011")],
        "area": "0000000",
        "pricing_date": WHEN,
    },
    "hourly only: no market data": one("27-2011", area="0000000"),
    "too old: no market data": one("15-1252", area="0041940", pricing_date=date(2028, 5, 13)),
    "unknown job": one("99-9999", area="0041940"),
    "unknown industry": one("15-1252", area="0000000", industry="999999"),
}


def outcome(container: Container, fields: dict[str, Any]) -> dict[str, Any]:
    try:
        result = container.price_job(pricing_request(**fields), container.policies.current())
    except PricingError as error:
        return {"error": error.as_dict()}
    return result_as_json(result)


@pytest.mark.parametrize("name", list(REQUESTS))
def test_every_backend_prices_alike(bundled: dict[str, Container], name: str) -> None:
    answers = {backend: outcome(bundled[backend], REQUESTS[name]) for backend in BACKENDS}
    assert answers["sqlite"] == answers["memory"]
    assert answers["postgresql"] == answers["memory"]
    if "error" not in answers["memory"]:
        assert answers["memory"]["dataset_versions"] == {OEWS: "2025A01"}
        assert {c["version"] for c in answers["memory"]["contributions"]} == {"2025A01"}


def test_the_requests_cover_what_they_claim(bundled: dict[str, Container]) -> None:
    memory = bundled["memory"]
    notes = {
        name: [c["notes"] for c in outcome(memory, REQUESTS[name])["contributions"]]
        for name in (
            "metro to state fallback",
            "state to national fallback",
            "industry fallback in a metro",
        )
    }
    assert notes == {
        "metro to state fallback": [["geo_fallback_state"]],
        "state to national fallback": [["geo_fallback_national"]],
        "industry fallback in a metro": [["industry_fallback"]],
    }
    assert outcome(memory, REQUESTS["top-coded P90"])["lower_bound"] == ["p90"]
    excluded = outcome(memory, REQUESTS["an excluded match"])["contributions"][1]["excluded"]
    assert excluded == "hourly_only"
    assert len(outcome(memory, REQUESTS["composite of two matches"])["contributions"]) == 2
    assert outcome(memory, REQUESTS["too old: no market data"])["error"]["code"] == "no_market_data"


def test_each_backend_names_the_bundled_version_as_active(bundled: dict[str, Container]) -> None:
    for backend in BACKENDS:
        container = bundled[backend]
        source = container.market.source(OEWS)
        assert source is not None, backend
        assert source.active_version == "2025A01", backend
        ((version, active),) = container.market_admin.versions(OEWS)
        assert active, backend
        assert (version.label, version.rows, version.imported_by) == ("2025A01", 370172, "bundled")
        assert len(container.market.jobs(OEWS)) == len(bundled["memory"].market.jobs(OEWS))


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_importing_the_shipped_extract_again_is_a_no_op(
    bundled: dict[str, Container], backend: str
) -> None:
    report = bundled[backend].market_loader.load(open_bundled(), imported_by="again")
    assert report.outcome is ImportOutcome.UNCHANGED
    assert len(bundled[backend].market_admin.versions(OEWS)) == 1


def test_the_bundled_version_has_one_checksum_on_every_backend(
    bundled: dict[str, Container],
) -> None:
    expected = open_bundled().sha256
    checksums = {b: bundled[b].market_admin.versions(OEWS)[0][0].sha256 for b in BACKENDS}
    assert checksums == dict.fromkeys(BACKENDS, expected)
    report = bundled["memory"].market_loader.load(open_bundled(), imported_by="again")
    assert report.outcome is ImportOutcome.UNCHANGED
