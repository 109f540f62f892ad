"""First use: `prepare()` migrates an empty database and seeds the shipped extract, once.

A fresh SQLite file (in a folder that does not exist yet) and an empty PostgreSQL database
both price out of the box; a later start loads nothing; PRICING_BUNDLED_DATA=false seeds none.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from pricing_adapters.bootstrap import Container
from pricing_adapters.prepare import prepare
from pricing_adapters.sql.migrate import current_revision, head_revision
from pricing_core.errors import UnknownArea
from pricing_core.market.imports import ImportOutcome
from pricing_core.pricing.model import Match, PricingRequest

OEWS = "oews-2025"
EFFECTIVE = date(2025, 5, 12)  # no aging: the published San Jose median comes back as is

MakeContainer = Callable[..., Container]


def price_san_jose_developers(container: Container) -> Any:
    request = PricingRequest(
        matches=[Match(source=OEWS, job_code="15-1252")], area="0041940", pricing_date=EFFECTIVE
    )
    return container.price_job(request, container.policies.current())


def assert_prices_out_of_the_box(container: Container) -> None:
    result = price_san_jose_developers(container)
    assert result.market[50] == Decimal(213110)
    assert result.dataset_versions == {OEWS: "2025A01"}
    assert result.contributions[0].area_used == "0041940"


def assert_seeded_once(container: Container) -> None:
    assert container.engine is not None
    assert current_revision(container.engine) == head_revision()
    versions = [
        (v.label, v.rows, v.imported_by, a) for v, a in container.market_admin.versions(OEWS)
    ]
    assert versions == [("2025A01", 370172, "bundled", True)]
    assert [s.name for s in container.market.sources()] == [OEWS]


def url_of(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def test_a_fresh_sqlite_file_prices_out_of_the_box(
    tmp_path: Path, make_container: MakeContainer
) -> None:
    url = f"sqlite:///{tmp_path / 'not-yet' / 'pricing.db'}"
    container = make_container(url)
    report = prepare(container)
    assert report is not None
    assert (report.outcome, report.rows, report.version) == (
        ImportOutcome.LOADED,
        370172,
        "2025A01",
    )
    assert_seeded_once(container)
    assert_prices_out_of_the_box(container)
    later = make_container(url)  # the next start of the app, on the same file
    assert prepare(later) is None
    assert_seeded_once(later)
    assert_prices_out_of_the_box(later)


def test_an_empty_postgres_database_prices_out_of_the_box(
    bundled_postgres: Any, make_container: MakeContainer
) -> None:
    container = bundled_postgres.container
    report = bundled_postgres.first_report
    assert report is not None
    assert (report.outcome, report.rows, report.version) == (
        ImportOutcome.LOADED,
        370172,
        "2025A01",
    )
    assert_seeded_once(container)
    assert_prices_out_of_the_box(container)
    assert prepare(container) is None
    later = make_container(url_of(container.engine))
    assert prepare(later) is None
    assert_seeded_once(later)
    assert_prices_out_of_the_box(later)
    assert later.engine is not None
    later.engine.dispose()


def test_without_bundled_data_the_database_is_migrated_and_left_empty(
    database_url: str, make_container: MakeContainer
) -> None:
    container = make_container(database_url, bundled=False)
    engine = container.engine
    assert engine is not None
    assert prepare(container) is None
    assert current_revision(engine) == head_revision()
    assert container.market.sources() == []
    assert container.market.areas() == []
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM market_cuts")).scalar_one() == 0
    with pytest.raises(UnknownArea):
        price_san_jose_developers(container)
    assert prepare(container) is None
    assert container.market.sources() == []
    engine.dispose()


def test_without_bundled_data_memory_starts_empty(make_container: MakeContainer) -> None:
    container = make_container("memory://", bundled=False)
    assert prepare(container) is None
    assert container.market.sources() == []
    with pytest.raises(UnknownArea):
        price_san_jose_developers(container)
