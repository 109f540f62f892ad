"""Housekeeping on SQLite: expired refresh-token families, old revocations and upload
leftovers go; live sessions and fresh uploads stay."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pricing_adapters.bootstrap import Ports, build_container
from pricing_adapters.clock import FixedClock
from pricing_adapters.prepare import prepare
from pricing_adapters.settings import Settings
from pricing_adapters.upload_files import StaleUploads
from pricing_core.access.audit import RequestInfo
from pricing_core.access.model import Principal
from pricing_core.access.roles import Role

NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
PASSWORD = "correct horse battery staple 42"


def _aged(path: Path, age: timedelta) -> Path:
    stamp = (NOW - age).timestamp()
    os.utime(path, (stamp, stamp))
    return path


def test_stale_uploads_go_and_fresh_ones_stay(tmp_path: Path) -> None:
    temporary, uploads = tmp_path / "tmp", tmp_path / "uploads"
    temporary.mkdir()
    uploads.mkdir()
    old_dir = temporary / "pricing-upload-abc"
    old_dir.mkdir()
    (old_dir / "survey.csv").write_text("x")
    _aged(old_dir, timedelta(days=2))
    fresh_dir = temporary / "pricing-upload-def"
    fresh_dir.mkdir()
    other = temporary / "someone-elses"
    other.write_text("not ours")
    _aged(other, timedelta(days=30))
    old_file = uploads / "batch.csv"
    old_file.write_text("x")
    _aged(old_file, timedelta(days=3))
    sweep = StaleUploads(folders=[uploads, tmp_path / "missing"], temporary=temporary)
    assert sweep(NOW) == 2
    assert not old_dir.exists()
    assert not old_file.exists()
    assert fresh_dir.exists()
    assert other.exists()


def test_housekeeping_purges_expired_session_families_on_sql(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {
            "PRICING_DATA_DIR": str(tmp_path),
            "PRICING_DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}",
            "PRICING_BUNDLED_DATA": "false",
        }
    )
    container = build_container(settings, ports=Ports(clock=FixedClock(NOW)))
    prepare(container)
    system = Principal(role=Role.ADMIN, user_id="system:tests")
    container.access.create_user(system, "a@example.com", Role.VIEWER, "A", PASSWORD, RequestInfo())
    container.access.login("a@example.com", PASSWORD, RequestInfo())
    housekeeping = container.jobs.kinds.get("housekeeping")
    steps: list[tuple[int, int | None]] = []

    def progress(done: int, total: int | None = None) -> None:
        steps.append((done, total))

    kept = housekeeping.run({}, progress)
    assert kept.report["removed"] == {"refresh_tokens": 0, "revocations": 0, "upload_files": 0}
    assert steps[-1] == (3, 3)
    later = build_container(settings, ports=Ports(clock=FixedClock(NOW + timedelta(days=400))))
    gone = later.jobs.kinds.get("housekeeping").run({}, progress)
    assert gone.report["removed"]["refresh_tokens"] == 1  # type: ignore[index]
    for built in (container, later):
        assert built.engine is not None
        built.engine.dispose()
