"""The container's title index follows the title source's active version: an import or an
activation changes what titles match, without a restart."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from pricing_adapters.bootstrap import build_container
from pricing_adapters.memory import InMemoryCutTable, InMemoryMarketRepository
from pricing_adapters.settings import Settings
from pricing_core.market.model import Source, SourceVersion

AT = datetime(2026, 1, 1, tzinfo=UTC)


def version(label: str) -> SourceVersion:
    return SourceVersion(
        source="oews-test", label=label, sha256=label * 8, rows=0, imported_at=AT,
        imported_by="test", status="ready",
    )  # fmt: skip


def test_the_index_is_rebuilt_when_another_version_becomes_active(tmp_path: Path) -> None:
    env = {
        "PRICING_DATABASE_URL": "memory://",
        "PRICING_DATA_DIR": str(tmp_path),
        "PRICING_TITLE_SOURCE": "oews-test",
    }
    services = build_container(Settings.from_env(env))
    market = services.market
    assert isinstance(market, InMemoryMarketRepository)
    source = Source(name="oews-test")
    empty = InMemoryCutTable([])
    market.add_version(source, version("v1"), empty, {"15-1252": "Software Developers"})

    def best(title: str) -> str:
        return services.title_matcher().match(title, limit=1).candidates[0].job_code

    assert best("Software Developers") == "15-1252"
    market.add_version(source, version("v2"), empty, {"29-1141": "Registered Nurses"})
    assert best("Registered Nurses") == "29-1141"  # the new version's occupations
    market.activate("oews-test", "v1")
    assert set(services.title_matcher().occupations) == {"15-1252"}  # rolled back with it
