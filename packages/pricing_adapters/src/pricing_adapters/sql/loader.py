"""Loading a release as a new version and activating it, all in one transaction.

A reader sees the previous active version until the commit and the new one after it: never
a half-loaded version, even if the process is killed mid-load (the transaction just rolls
back). PostgreSQL takes the rows through COPY; SQLite through executemany in batches.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal
from itertools import islice
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    import psycopg

from sqlalchemy import Connection, Engine, insert, select, update

from pricing_adapters.importers.content import ContentDigest
from pricing_adapters.importers.records import CutRow, ReleaseFile
from pricing_adapters.sql.market import SqlMarketRepository
from pricing_adapters.sql.tables import (
    CUT_COLUMNS,
    market_areas,
    market_cuts,
    market_industries,
    market_jobs,
    market_sources,
    market_versions,
)
from pricing_adapters.sql.unit_of_work import SqlUnitOfWork
from pricing_adapters.sql.upsert import upsert
from pricing_core.errors import InvalidRequest, SourceNotFound, UnknownVersion
from pricing_core.market.imports import ImportOutcome, ImportReport, ProblemLog
from pricing_core.market.model import Area, Source, SourceKind, SourceVersion
from pricing_core.market.ports import MarketAdmin
from pricing_core.market.rules import check_kind_kept
from pricing_core.ports import Clock

__all__ = ["SqlMarketLoader"]

BATCH = 5000


class _Rejected(Exception):
    """Raised inside the load transaction to roll it back."""


class _Unchanged(Exception):
    """The release holds the active version's rows: roll the load back and say so."""

    def __init__(self, label: str) -> None:
        super().__init__(label)
        self.label = label


def _area_row(area: Area) -> dict[str, str | None]:
    return {"code": area.code, "name": area.name, "kind": str(area.kind), "parent": area.parent}


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


class SqlMarketLoader(MarketAdmin):
    """Imports releases into versions and switches active versions.

    An activation joins the unit of work `uow`'s open transaction (it commits with its audit
    row). An import is a transaction of its own, which a rejected release rolls back whole: it
    refuses to start inside a unit of work's transaction, where on SQLite it would wait for
    that transaction's write lock until the busy timeout.
    """

    def __init__(
        self,
        engine: Engine,
        clock: Clock,
        reader: SqlMarketRepository,
        uow: SqlUnitOfWork | None = None,
    ) -> None:
        self._engine = engine
        self._clock = clock
        self._reader = reader
        self._db = uow or SqlUnitOfWork(engine)

    def load(self, release: ReleaseFile, *, imported_by: str) -> ImportReport:
        """Loaded and active; unchanged when the file, or its rows, are the active version's;
        rejected with every problem; a taken label with other rows raises InvalidRequest."""
        started = time.perf_counter()
        name = release.source.name
        digest = ContentDigest()
        rows = digest.feed(release.rows)
        try:
            self._outside_unit_of_work()
            self._note_active_content(name)
            with self._engine.begin() as conn:
                # Writing the source row first takes the lock that serialises two imports of
                # one source, so the checksum test below sees the other import's outcome.
                self._upsert_source(conn, release)
                active = self._active(conn, name)
                if active is not None and active.sha256 == release.sha256:
                    return self._unchanged(release, active.label)
                if self._label_taken(conn, release):
                    # Only the active version's own rows under its label are not a clash.
                    for _ in rows:
                        pass
                    if release.problems:
                        raise _Rejected
                    if active is not None and digest.hexdigest() == active.content_sha256:
                        raise _Unchanged(active.label)
                    raise InvalidRequest(
                        "label",
                        f"{name} already has a version {release.label!r} with other content; "
                        "give another label (--label) or activate that version",
                    )
                version_id, count = self._load(conn, release, rows, imported_by)
                if release.problems or count == 0:
                    if not release.problems:
                        release.problems.add(0, "", "", "the file holds no data rows")
                    raise _Rejected
                content = digest.hexdigest()
                if active is not None and content == active.content_sha256:
                    raise _Unchanged(active.label)  # the same rows from another file
                self._activate(conn, release, version_id, count, content)
        except _Rejected:
            return self._rejected(release, release.problems, started)
        except _Unchanged as same:
            return self._unchanged(release, same.label)
        finally:
            release.close()
        self._reader.forget()
        return ImportReport(
            source=name,
            version=release.label,
            outcome=ImportOutcome.LOADED,
            rows=count,
            seconds=time.perf_counter() - started,
            sha256=release.sha256,
        )

    @staticmethod
    def _unchanged(release: ReleaseFile, active: str) -> ImportReport:
        return ImportReport(
            source=release.source.name,
            version=active,
            outcome=ImportOutcome.UNCHANGED,
            sha256=release.sha256,
        )

    def _rejected(self, release: ReleaseFile, problems: ProblemLog, started: float) -> ImportReport:
        return ImportReport(
            source=release.source.name,
            version=release.label,
            outcome=ImportOutcome.REJECTED,
            seconds=time.perf_counter() - started,
            sha256=release.sha256,
            problems=tuple(problems.problems),
            problem_count=problems.count,
        )

    @staticmethod
    def _active(conn: Connection, source: str) -> Any:
        """The active version's id, label, file and content checksums (None: no version)."""
        return conn.execute(
            select(
                market_versions.c.id,
                market_versions.c.label,
                market_versions.c.sha256,
                market_versions.c.content_sha256,
            )
            .join(market_sources, market_sources.c.active_version_id == market_versions.c.id)
            .where(market_sources.c.name == source)
        ).first()

    def _note_active_content(self, source: str) -> None:
        """Versions stored before content checksums existed get theirs, once, from their
        stored rows: in a transaction of its own, so it stays whatever the import does."""
        with self._engine.begin() as conn:
            active = self._active(conn, source)
            if active is None or active.content_sha256 is not None:
                return
            stored = conn.execute(
                select(*(market_cuts.c[name] for name in CUT_COLUMNS))
                .where(market_cuts.c.version_id == active.id)
                .execution_options(stream_results=True, yield_per=BATCH)
            )
            content = ContentDigest.of(stored)
            conn.execute(
                update(market_versions)
                .where(market_versions.c.id == active.id)
                .values(content_sha256=content)
            )

    @staticmethod
    def _label_taken(conn: Connection, release: ReleaseFile) -> bool:
        return (
            conn.execute(
                select(market_versions.c.id).where(
                    market_versions.c.source == release.source.name,
                    market_versions.c.label == release.label,
                )
            ).scalar()
            is not None
        )

    @staticmethod
    def _upsert_source(conn: Connection, release: ReleaseFile) -> None:
        """Create or update the source row; its kind stays the one it was created with, and
        a release of another kind is refused (the transaction rolls back)."""
        source = release.source
        row = {
            "name": source.name,
            "title": source.title,
            "kind": str(source.kind),
            "top_code": source.top_code,
        }
        upsert(conn, market_sources, [row], key=["name"], keep=["kind"])
        kind = conn.execute(
            select(market_sources.c.kind).where(market_sources.c.name == source.name)
        ).scalar_one()
        check_kind_kept(Source(name=source.name, kind=SourceKind(kind)), source)

    def _load(
        self, conn: Connection, release: ReleaseFile, rows: Iterator[CutRow], imported_by: str
    ) -> tuple[int, int]:
        """The new version's id and row count; it is not active yet."""
        source = release.source
        if release.areas:
            upsert(
                conn,
                market_areas,
                [_area_row(a) for a in release.areas],
                key=["code"],
            )
        if release.industries:
            upsert(
                conn,
                market_industries,
                [{"code": i.code, "name": i.name, "level": i.level} for i in release.industries],
                key=["code"],
            )
        version_id = conn.execute(
            insert(market_versions).returning(market_versions.c.id),
            {
                "source": source.name,
                "label": release.label,
                "sha256": release.sha256,
                "rows": 0,
                "imported_at": self._clock.now(),
                "imported_by": imported_by,
                "status": "ready",
            },
        ).scalar_one()
        return version_id, self._bulk(conn, version_id, rows)

    @staticmethod
    def _activate(
        conn: Connection, release: ReleaseFile, version_id: int, rows: int, content: str
    ) -> None:
        if release.jobs:
            conn.execute(
                insert(market_jobs),
                [
                    {"version_id": version_id, "job_code": c, "title": t}
                    for c, t in release.jobs.items()
                ],
            )
        conn.execute(
            update(market_versions)
            .where(market_versions.c.id == version_id)
            .values(rows=rows, content_sha256=content)
        )
        conn.execute(
            update(market_sources)
            .where(market_sources.c.name == release.source.name)
            .values(active_version_id=version_id)
        )

    def _bulk(self, conn: Connection, version_id: int, rows: Iterator[CutRow]) -> int:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        if conn.dialect.name == "postgresql":
            return _copy_rows(cast("psycopg.Connection[Any]", raw), version_id, rows)
        return _insert_rows(raw, version_id, rows)

    def _outside_unit_of_work(self) -> None:
        if self._db.current() is not None:
            raise RuntimeError("a market import is a transaction of its own: not in a unit of work")

    def save_areas(self, areas: Sequence[Area]) -> None:
        """Add or update areas (an areas CSV): outside any version, like the tree itself."""
        self._outside_unit_of_work()
        with self._engine.begin() as conn:
            upsert(conn, market_areas, [_area_row(a) for a in areas], key=["code"])
        self._reader.forget()

    def versions(self, source: str) -> Sequence[tuple[SourceVersion, bool]]:
        return self._reader.versions(source)

    def activate(self, source: str, label: str) -> None:
        """Make `label` the active version of `source` (roll back or forward)."""
        with self._db.begin() as conn:
            exists = conn.execute(
                select(market_sources.c.name).where(market_sources.c.name == source)
            ).scalar()
            if exists is None:
                raise SourceNotFound(source)
            version_id = conn.execute(
                select(market_versions.c.id).where(
                    market_versions.c.source == source, market_versions.c.label == label
                )
            ).scalar()
            if version_id is None:
                raise UnknownVersion(source, label)
            conn.execute(
                update(market_sources)
                .where(market_sources.c.name == source)
                .values(active_version_id=version_id)
            )
        self._reader.forget()


_COLUMNS = ", ".join(["version_id", *CUT_COLUMNS])


def _copy_rows(pg: psycopg.Connection[Any], version_id: int, rows: Iterator[CutRow]) -> int:
    count = 0
    statement = f"COPY market_cuts ({_COLUMNS}) FROM STDIN"
    with pg.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row((version_id, *row))
            count += 1
    return count


def _insert_rows(raw: Any, version_id: int, rows: Iterator[CutRow]) -> int:
    marks = ", ".join("?" * (len(CUT_COLUMNS) + 1))
    statement = f"INSERT INTO market_cuts ({_COLUMNS}) VALUES ({marks})"  # noqa: S608 - fixed columns
    count = 0
    cursor = raw.cursor()
    try:
        while batch := list(islice(rows, BATCH)):
            cursor.executemany(statement, [(version_id, *map(_sqlite_value, row)) for row in batch])
            count += len(batch)
    finally:
        cursor.close()
    return count
