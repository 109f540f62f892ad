"""The market use cases: permission, refusals that change nothing, audit rows, errors."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import attrs
import pytest

from pricing_core.access.audit import Auditor, RequestInfo
from pricing_core.access.model import Outcome, Principal
from pricing_core.access.roles import Role
from pricing_core.access.system import CLI_PRINCIPAL, SYSTEM_CLI
from pricing_core.errors import (
    Forbidden,
    InvalidRequest,
    SourceKindConflict,
    SourceNotFound,
    UnknownVersion,
)
from pricing_core.market.imports import ImportOutcome, ImportReport, ProblemLog
from pricing_core.market.model import Area, Source, SourceKind, SourceVersion
from pricing_core.market.service import ActivateVersion, ImportAreas, ImportRelease, ListVersions
from tests.gear.clock import FakeClock
from tests.unit.requests.conftest import CountingUnitOfWork, ListAuditLog

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
OEWS = Source(name="oews-2025", kind=SourceKind.PUBLIC, active_version="2025A01")
INFO = RequestInfo(request_id="r1")
ADMIN = Principal(role=Role.ADMIN, user_id="u-admin")


@attrs.define
class Opened:
    """An opened release as the importers hand it over."""

    source: Source
    label: str = "v1"
    sha256: str = "ab" * 32
    closed: bool = False

    def close(self) -> None:
        self.closed = True


@attrs.define
class Store:
    """Sources and versions in a dict; `load` takes any release and reports it loaded."""

    sources: dict[str, Source] = attrs.field(factory=lambda: {OEWS.name: OEWS})
    labels: dict[str, list[str]] = attrs.field(factory=lambda: {OEWS.name: ["2025A01", "old"]})
    loaded: list[Opened] = attrs.field(factory=list)
    areas: list[Area] = attrs.field(factory=list)

    def source(self, name: str) -> Source | None:
        return self.sources.get(name)

    def load(self, release: Opened, *, imported_by: str) -> ImportReport:
        self.loaded.append(release)
        release.close()
        return ImportReport(
            source=release.source.name,
            version=release.label,
            outcome=ImportOutcome.LOADED,
            rows=3,
            sha256=release.sha256,
        )

    def save_areas(self, areas: Sequence[Area]) -> None:
        self.areas.extend(areas)

    def versions(self, source: str) -> Sequence[tuple[SourceVersion, bool]]:
        active = self.sources[source].active_version
        return [
            (
                SourceVersion(
                    source=source,
                    label=label,
                    sha256="",
                    rows=1,
                    imported_at=NOW,
                    imported_by="x",
                    status="ready",
                ),
                label == active,
            )
            for label in self.labels.get(source, [])
        ]

    def activate(self, source: str, label: str) -> None:
        self.sources[source] = attrs.evolve(self.sources[source], active_version=label)


@pytest.fixture
def store() -> Store:
    return Store()


@pytest.fixture
def log() -> ListAuditLog:
    return ListAuditLog()


def importer(store: Store, log: ListAuditLog) -> ImportRelease[Opened]:
    return ImportRelease(
        market=store,  # type: ignore[arg-type]  # the reads the use case makes
        loader=store,
        auditor=Auditor(log=log, clock=FakeClock(NOW)),
    )


def test_an_import_is_loaded_as_the_actor_and_audited(store: Store, log: ListAuditLog) -> None:
    release = Opened(source=Source(name="mercer-2025", kind=SourceKind.SURVEY))
    report = importer(store, log)(CLI_PRINCIPAL, release, file="m.csv", info=INFO, operator="ann")
    assert report.outcome is ImportOutcome.LOADED
    (event,) = log.events
    assert (event.action, event.outcome, event.actor) == ("market_import", "success", SYSTEM_CLI)
    assert (event.target_type, event.target_id) == ("market_source", "mercer-2025")
    assert event.detail["operator"] == "ann"
    assert event.detail["file"] == "m.csv"


def test_a_survey_under_a_public_source_name_is_refused_and_changes_nothing(
    store: Store, log: ListAuditLog
) -> None:
    release = Opened(source=Source(name="oews-2025", kind=SourceKind.SURVEY))
    with pytest.raises(SourceKindConflict) as caught:
        importer(store, log)(ADMIN, release, file="x.csv", info=INFO)
    assert "oews-2025" in caught.value.message
    assert (store.loaded, release.closed) == ([], True)
    assert store.sources["oews-2025"] == OEWS
    (event,) = log.events
    assert (event.outcome, event.detail["error"]) == (Outcome.FAILURE, "source_kind_conflict")


def test_a_bad_source_name_is_refused_naming_the_field(store: Store, log: ListAuditLog) -> None:
    release = Opened(source=Source(name="Mercer 2025", kind=SourceKind.SURVEY))
    with pytest.raises(InvalidRequest) as caught:
        importer(store, log)(ADMIN, release, file="x.csv", info=INFO)
    assert caught.value.field == "source"
    assert (store.loaded, release.closed) == ([], True)


@pytest.mark.parametrize("role", [Role.VIEWER, Role.HR_ANALYST, Role.HR_MANAGER])
def test_only_importers_import(store: Store, log: ListAuditLog, role: Role) -> None:
    release = Opened(source=Source(name="mercer-2025", kind=SourceKind.SURVEY))
    with pytest.raises(Forbidden):
        importer(store, log)(Principal(role=role, user_id="u"), release, file="x", info=INFO)
    assert (store.loaded, release.closed, log.events) == ([], True, [])


def test_an_areas_file_is_saved_and_audited(store: Store, log: ListAuditLog) -> None:
    areas = [Area(code="SG", name="Singapore", kind="national")]
    use = ImportAreas(areas=store, auditor=Auditor(log=log, clock=FakeClock(NOW)))
    report = use(CLI_PRINCIPAL, areas, ProblemLog(), file="sg.csv", info=INFO)
    assert (report.outcome, report.areas, store.areas) == (ImportOutcome.LOADED, 1, areas)
    (event,) = log.events
    assert (event.action, event.outcome, event.target_type) == (
        "market_import",
        "success",
        "market_areas",
    )


def test_an_areas_file_with_problems_saves_nothing_and_is_audited_as_a_failure(
    store: Store, log: ListAuditLog
) -> None:
    problems = ProblemLog()
    problems.add(2, "kind", "planet", "unknown kind")
    use = ImportAreas(areas=store, auditor=Auditor(log=log, clock=FakeClock(NOW)))
    areas = [Area(code="SG", name="Singapore", kind="national")]
    report = use(CLI_PRINCIPAL, areas, problems, file="sg.csv", info=INFO)
    assert (report.outcome, report.problem_count, store.areas) == (ImportOutcome.REJECTED, 1, [])
    assert [(e.outcome, e.detail["problem_count"]) for e in log.events] == [("failure", 1)]
    with pytest.raises(Forbidden):
        use(Principal(role=Role.HR_MANAGER, user_id="m"), areas, ProblemLog(), file="f", info=INFO)


def test_activation_switches_and_audits_the_previous_version(
    store: Store, log: ListAuditLog
) -> None:
    use = ActivateVersion(
        market=store,  # type: ignore[arg-type]
        admin=store,
        auditor=Auditor(log=log, clock=FakeClock(NOW)),
        uow=CountingUnitOfWork(),
    )
    source = use(ADMIN, "oews-2025", "old", INFO)
    assert source.active_version == "old"
    (event,) = log.events
    assert (event.action, event.actor, event.detail) == (
        "market_activate",
        "u-admin",
        {"version": "old", "previous": "2025A01"},
    )


def test_activation_of_what_does_not_exist_is_not_found(store: Store, log: ListAuditLog) -> None:
    use = ActivateVersion(
        market=store,  # type: ignore[arg-type]
        admin=store,
        auditor=Auditor(log=log, clock=FakeClock(NOW)),
        uow=CountingUnitOfWork(),
    )
    with pytest.raises(SourceNotFound) as source:
        use(ADMIN, "nope", "v1", INFO)
    with pytest.raises(UnknownVersion) as version:
        use(ADMIN, "oews-2025", "nope", INFO)
    assert (source.value.code, version.value.code) == ("not_found", "not_found")
    assert version.value.details == {"source": "oews-2025", "version": "nope"}
    assert (store.sources["oews-2025"], log.events) == (OEWS, [])
    with pytest.raises(Forbidden):
        use(Principal(role=Role.HR_MANAGER, user_id="m"), "oews-2025", "old", INFO)


def test_versions_need_a_loaded_source_and_the_viewing_permission(store: Store) -> None:
    use = ListVersions(market=store, admin=store)  # type: ignore[arg-type]
    viewer = Principal(role=Role.VIEWER, user_id="v")
    assert [(v.label, on) for v, on in use(viewer, "oews-2025")] == [
        ("2025A01", True),
        ("old", False),
    ]
    with pytest.raises(SourceNotFound):
        use(viewer, "nope")
