"""The drop folders on disk: what counts as a waiting file, source.toml, putting files away."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pricing_adapters.market_drop import FolderDrop, SourceConfig, read_config
from pricing_core.market.drop import DropConfigError, DropKind


def test_only_visible_top_level_files_wait_and_moved_ones_never_come_back(tmp_path: Path) -> None:
    folder = tmp_path / "mercer-2025"
    (folder / "imported").mkdir(parents=True)
    (folder / "imported" / "old.csv").write_text("x")
    (folder / ".partial.csv").write_text("x")
    (folder / "source.toml").write_text('kind = "survey"\n')
    (folder / "new.csv").write_text("x")
    (tmp_path / ".trash").mkdir()
    drop = FolderDrop(root=tmp_path)

    assert drop.sources() == ["mercer-2025"]
    found = drop.scan("mercer-2025")
    assert (found.kind, [f.name for f in found.files]) == (DropKind.SURVEY, ["new.csv"])
    assert FolderDrop(root=tmp_path / "none").sources() == []


def test_a_refused_file_of_a_name_already_refused_keeps_both(tmp_path: Path) -> None:
    drop = FolderDrop(root=tmp_path)
    for reason in ("first", "second"):
        (tmp_path / "acme").mkdir(exist_ok=True)
        (tmp_path / "acme" / "a.csv").write_text(reason)
        (file,) = drop.scan("acme").files
        drop.failed("acme", file, [{"line": 2, "column": "p50", "reason": reason}])
    kept = sorted(p.name for p in (tmp_path / "acme" / "failed").iterdir())
    assert len(kept) == 4
    assert "a.csv" in kept
    assert "a.csv.errors.json" in kept
    first = json.loads((tmp_path / "acme" / "failed" / "a.csv.errors.json").read_text())
    assert first["errors"][0]["reason"] == "first"


def test_source_toml_defaults_and_every_key_checked(tmp_path: Path) -> None:
    folder = tmp_path / "s"
    folder.mkdir()
    assert read_config(folder) == SourceConfig()
    (folder / "source.toml").write_text(
        'kind = "areas"\ntitle = "T"\npay_period = "monthly"\nmonths_per_year = 13\n'
        'currency = "SGD"\nsheet = "Data"\n'
    )
    assert read_config(folder) == SourceConfig(
        kind=DropKind.AREAS,
        title="T",
        pay_period="monthly",
        months_per_year=13,
        currency="SGD",
        sheet="Data",
    )
    cases = {
        'pay_period = "weekly"\n': "pay_period",
        "months_per_year = true\n": "months_per_year",
        'currency = "XYZ"\n': "currency",
        "title = 5\n": "title",
        'label = "v1"\n': "label",
    }
    for text, key in cases.items():
        (folder / "source.toml").write_text(text)
        with pytest.raises(DropConfigError) as refused:
            read_config(folder)
        assert (refused.value.file, refused.value.key) == ("s/source.toml", key)
        assert str(refused.value).startswith(f"s/source.toml: {key}: ")
