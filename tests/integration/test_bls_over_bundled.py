"""The BLS release the shipped extract was built from, imported over it: the same data,
reported unchanged (not refused for its taken label). Needs the real file, which is not in
the repository: skipped without it."""

from __future__ import annotations

from pathlib import Path

import pytest

from pricing_adapters.bootstrap import build_container
from pricing_adapters.importers.oews_sqlite import open_oews_sqlite
from pricing_adapters.prepare import prepare
from pricing_adapters.settings import Settings
from pricing_core.access.audit import RequestInfo
from pricing_core.access.system import CLI_PRINCIPAL
from pricing_core.market.imports import ImportOutcome

BLS_FILE = Path("/work/shared/data/oews/oews-2025.sqlite.gz")


@pytest.mark.skipif(not BLS_FILE.is_file(), reason=f"the BLS release is not at {BLS_FILE}")
def test_the_bls_file_over_the_shipped_extract_is_unchanged(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {"PRICING_DATA_DIR": str(tmp_path), "PRICING_DATABASE_URL": "memory://"}
    )
    services = build_container(settings)
    prepare(services)
    release = open_oews_sqlite(BLS_FILE)
    report = services.import_release(CLI_PRINCIPAL, release, file=BLS_FILE.name, info=RequestInfo())
    assert (report.source, report.version) == ("oews-2025", "2025A01")
    assert report.outcome is ImportOutcome.UNCHANGED
    assert [v.label for v, _ in services.market_admin.versions("oews-2025")] == ["2025A01"]
