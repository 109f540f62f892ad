"""The versions contract: unchanged imports, activation back and forth, refused labels.

The same tests on memory, SQLite and PostgreSQL (`store` in conftest.py).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import attrs
import pytest

from pricing_core.errors import InvalidRequest, SourceKindConflict, SourceNotFound, UnknownVersion
from pricing_core.market.imports import ImportOutcome
from pricing_core.market.model import Percentile, SourceKind
from tests.contract.conftest import NAME, SOURCE, SWE_SJ, load, price, release, rows, snapshot


def test_the_same_checksum_again_is_unchanged_and_adds_no_version(store: Any) -> None:
    load(store)
    before = snapshot(store)
    for label in ("v1", "v1-again"):
        report = load(store, label)
        assert (report.outcome, report.rows) == (ImportOutcome.UNCHANGED, 0)
        assert report.sha256 == release().sha256
    assert snapshot(store) == before


def test_a_new_version_becomes_active_and_activate_rolls_back_and_forward(store: Any) -> None:
    load(store)
    assert load(store, "v2", rows(swe_p50="220000")).outcome is ImportOutcome.LOADED
    assert store.reader.source(NAME).active_version == "v2"
    assert price(store).market[50] == Decimal(220000)
    assert price(store).dataset_versions == {NAME: "v2"}
    store.admin.activate(NAME, "v1")
    assert store.reader.source(NAME).active_version == "v1"
    result = price(store)
    assert (result.market[50], result.dataset_versions) == (Decimal(213110), {NAME: "v1"})
    assert result.contributions[0].version == "v1"
    assert store.reader.cut(NAME, "v2", *SWE_SJ).percentiles[50] == Percentile.of(220000)
    store.admin.activate(NAME, "v2")
    assert price(store).market[50] == Decimal(220000)
    assert [(v.label, active) for v, active in store.admin.versions(NAME)] == [
        ("v2", True),
        ("v1", False),
    ]


def test_a_taken_label_with_other_content_is_refused(store: Any) -> None:
    load(store)
    before = snapshot(store)
    with pytest.raises(InvalidRequest) as caught:
        load(store, "v1", rows(swe_p50="250000"))
    assert caught.value.field == "label"
    assert snapshot(store) == before


def test_activating_unknown_sources_and_versions_raises_domain_errors(store: Any) -> None:
    with pytest.raises(SourceNotFound):
        store.admin.activate(NAME, "v1")
    load(store)
    with pytest.raises(UnknownVersion) as caught:
        store.admin.activate(NAME, "v9")
    assert caught.value.details == {"source": NAME, "version": "v9"}
    assert store.reader.source(NAME).active_version == "v1"


def test_versions_are_newest_first_with_exactly_one_active_and_utc_times(store: Any) -> None:
    for n, label in enumerate(["v1", "v2", "v3"]):
        load(store, label, rows(swe_p50=str(200000 + n)))
    store.admin.activate(NAME, "v2")
    versions = store.admin.versions(NAME)
    assert [(v.label, active) for v, active in versions] == [
        ("v3", False),
        ("v2", True),
        ("v1", False),
    ]
    times = [v.imported_at for v, _ in versions]
    assert times == sorted(times, reverse=True)
    assert len(set(times)) == 3
    for version, _ in versions:
        assert version.imported_at in store.clock.answers
        assert version.imported_at.utcoffset() == timedelta(0)
        assert version.imported_at.microsecond == 123456
        assert (version.source, version.rows, version.imported_by) == (NAME, 5, "tester")
        assert version.status == "ready"
        assert len(version.sha256) == 64


def test_a_release_of_another_kind_is_refused_in_the_load_and_changes_nothing(
    store: Any,
) -> None:
    """The loader checks the kind in the load's own transaction: two imports racing past
    the use case's check cannot turn a public source into a survey."""
    load(store)
    before = snapshot(store)
    survey = release("s1", rows(swe_p50="1"), source=attrs.evolve(SOURCE, kind=SourceKind.SURVEY))
    closed: list[bool] = []
    survey.close = lambda: closed.append(True)
    with pytest.raises(SourceKindConflict):
        store.admin.load(survey, imported_by="tester")
    assert closed == [True]
    assert snapshot(store) == before
    assert store.reader.source(NAME).kind is SourceKind.PUBLIC
