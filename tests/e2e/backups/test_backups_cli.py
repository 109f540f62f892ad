"""`pricing backups create`, `verify` and `verify --restore-test` as an operator runs them, on
SQLite and real PostgreSQL, and a corpus of broken backups made from real ones at test time
(security checklist items 31–33)."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from pricing_api.cli import cli

AREAS = """\
code,name,kind,parent
0000000,United States,national,
0600000,California,state,0000000
0041940,San Jose,metro,0600000
"""
SURVEY = """\
job_code,job_title,area_code,industry_code,currency,effective_date,p10,p25,p50,p75,p90,pay_period,incumbents,organizations
ENG-SWE-P3,Software Engineer III,0041940,,USD,2025-11-01,,,15000,,,monthly,120,12
ENG-SWE-P2,Software Engineer II,0600000,,USD,2025-11-01,,,10000,,,monthly,300,20
"""


def run(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env=env)


def load_market(env: dict[str, str], folder: Path) -> None:
    areas, survey = folder / "areas.csv", folder / "survey.csv"
    areas.write_text(AREAS)
    survey.write_text(SURVEY)
    loaded = run(env, "market", "import-areas", str(areas))
    assert loaded.exit_code == 0, loaded.output
    loaded = run(env, "market", "import-survey", str(survey), "--source", "mercer-2025")
    assert loaded.exit_code == 0, loaded.output


def report(env: dict[str, str], *args: str) -> tuple[int, dict[str, Any]]:
    result = run(env, "backups", "verify", "--json", *args)
    return result.exit_code, json.loads(result.stdout)


@pytest.fixture
def env(database_url: str, tmp_path: Path) -> dict[str, str]:
    """A database with a small survey in it, and a backup folder of its own."""
    found = {
        "PRICING_DATA_DIR": str(tmp_path / "data"),
        "PRICING_DATABASE_URL": database_url,
        "PRICING_BUNDLED_DATA": "false",
        "PRICING_BACKUP_DIR": str(tmp_path / "backups"),
    }
    load_market(found, tmp_path)
    return found


def create(env: dict[str, str]) -> dict[str, Any]:
    result = run(env, "backups", "create", "--json")
    assert result.exit_code == 0, result.output
    created: dict[str, Any] = json.loads(result.stdout)
    return created


def test_create_verify_and_restore(env: dict[str, str]) -> None:
    created = create(env)
    path = Path(created["path"])
    assert path.is_file()
    assert path.stat().st_mode & 0o077 == 0  # pay data: the owner alone reads it
    assert not list(path.parent.glob("*.tmp"))
    manifest = json.loads(path.with_name(path.name + ".manifest.json").read_text())
    assert manifest["sha256"] == created["sha256"]
    assert manifest["tables"]["market_cuts"]["rows"] == 2
    assert manifest["schema_revision"]

    code, found = report(env, "--restore-test")
    assert code == 0, found
    assert (found["backups_found"], found["backups_valid"], found["backups_invalid"]) == (1, 1, 0)
    assert found["latest_backup"]["filename"] == created["filename"]
    restored = found["restore_test"]
    assert restored["ok"], restored
    assert restored["differences"] == []
    assert restored["tables"]["market_cuts"] == 2
    assert restored["smoke"]["ok"]
    assert "mercer-2025:ENG-SWE-P2" in restored["smoke"]["detail"]


def test_a_restore_test_finds_data_the_manifest_does_not_promise(
    env: dict[str, str], database_url: str
) -> None:
    created = create(env)
    path = Path(created["path"])
    manifest_path = path.with_name(path.name + ".manifest.json")
    manifest = json.loads(manifest_path.read_text())
    manifest["tables"]["market_cuts"]["rows"] = 3
    manifest_path.write_text(json.dumps(manifest))
    code, found = report(env, "--restore-test")
    assert code == 1
    assert found["restore_test"]["differences"] == [
        "market_cuts: 2 rows restored, 3 in the manifest"
    ]
    if database_url.startswith("postgresql"):
        assert not scratch_databases(database_url)  # dropped even though it failed


def scratch_databases(database_url: str) -> list[str]:
    from sqlalchemy import create_engine, text

    from pricing_adapters.sql.engine import normalise_url

    engine = create_engine(normalise_url(database_url))
    try:
        with engine.connect() as connection:
            return list(
                connection.execute(
                    text("SELECT datname FROM pg_database WHERE datname LIKE 'pricing_restore_%'")
                ).scalars()
            )
    finally:
        engine.dispose()


def test_no_backup_directory_is_a_clear_error(tmp_path: Path) -> None:
    env = {
        "PRICING_DATA_DIR": str(tmp_path),
        "PRICING_DATABASE_URL": f"sqlite:///{tmp_path}/p.db",
        "PRICING_BUNDLED_DATA": "false",
        "PRICING_BACKUP_DIR": str(tmp_path / "nowhere"),
    }
    result = run(env, "backups", "verify", "--json")
    assert result.exit_code == 1
    error = json.loads(result.stdout)["error"]
    assert error["code"] == "backup_failed"
    assert "nowhere does not exist" in error["message"]


def test_an_empty_directory_is_not_proof(tmp_path: Path) -> None:
    (tmp_path / "backups").mkdir()
    env = {
        "PRICING_DATA_DIR": str(tmp_path),
        "PRICING_DATABASE_URL": f"sqlite:///{tmp_path}/p.db",
        "PRICING_BUNDLED_DATA": "false",
        "PRICING_BACKUP_DIR": str(tmp_path / "backups"),
    }
    code, found = report(env)
    assert code == 1
    assert found["problems"] == ["no backup found"]


# The corruption corpus, made from real dumps of a real PostgreSQL database.


def pg_tool(name: str) -> str:
    from pricing_adapters.backups.pgtools import tool

    return tool(name)


@pytest.fixture
def corpus(postgres_url: str, tmp_path: Path) -> tuple[dict[str, str], Path]:
    folder = tmp_path / "backups"
    env = {
        "PRICING_DATA_DIR": str(tmp_path / "data"),
        "PRICING_DATABASE_URL": postgres_url,
        "PRICING_BUNDLED_DATA": "false",
        "PRICING_BACKUP_DIR": str(folder),
    }
    load_market(env, tmp_path)
    good = Path(create(env)["path"])
    dump = good.read_bytes()
    from pricing_adapters.backups.pgtools import libpq_args

    target, extra = libpq_args(postgres_url)
    plain = subprocess.run(
        [pg_tool("pg_dump"), "--format=plain", f"--dbname={target}"],
        capture_output=True,
        check=True,
        env={**os.environ, **extra},  # noqa: TID251 - the child needs PATH
    ).stdout
    # Newer clients end with `\\unrestrict KEY` after the trailer (CVE-2025-8714).
    assert b"-- PostgreSQL database dump complete" in plain[-300:]
    old = time.time() - 3600 * 48  # noqa: TID251 - file times are wall-clock times

    def put(name: str, data: bytes, age: float | None = None) -> None:
        path = folder / name
        path.write_bytes(data)
        stamp = age if age is not None else old
        os.utime(path, (stamp, stamp))

    put("a-truncated.dump", dump[: len(dump) * 2 // 3])
    # A flipped byte in a compressed data block (the end of the file) breaks pg_restore; one in
    # the table of contents (plain text near the start) only the manifest's sha256 can see.
    in_data = bytearray(dump)
    in_data[-60] ^= 0xFF
    put("b-flipped.dump", bytes(in_data))
    in_toc = bytearray(dump)
    in_toc[len(dump) // 3] ^= 0x01
    put("b-flipped-toc.dump", bytes(in_toc))
    shutil.copyfile(
        good.with_name(good.name + ".manifest.json"), folder / "b-flipped-toc.dump.manifest.json"
    )
    put("c-truncated.sql.gz", gzip.compress(plain)[:-40])
    put("d-no-trailer.sql", plain[: plain.rindex(b"-- PostgreSQL database dump complete")])
    put("e-empty.dump", b"")
    put("f-good-plain.sql", plain, age=old - 3600)
    put("g-shrunk.sql", plain[: len(plain) // 3] + b"\n-- PostgreSQL database dump complete\n")
    put("h-old-good.sql.gz", gzip.compress(plain), age=old - 7200)
    outside = tmp_path / "elsewhere.dump"
    outside.write_bytes(dump)
    (folder / "i-link-out.dump").symlink_to(outside)
    put("j-partial.dump.tmp", dump[:100])
    return env, good


def test_every_broken_backup_is_caught_and_the_good_one_stays_valid(
    corpus: tuple[dict[str, str], Path],
) -> None:
    env, good = corpus
    before = {p.name: p.read_bytes() for p in good.parent.iterdir() if p.is_file()}
    code, found = report(env)
    by_name = {b["filename"]: b for b in found["backups"]}
    assert "j-partial.dump.tmp" not in by_name

    def failed(name: str) -> dict[str, str]:
        return {c["name"]: c["detail"] for c in by_name[name]["checks"] if not c["ok"]}

    assert "pg_restore" in failed("a-truncated.dump")
    assert "pg_restore" in failed("b-flipped.dump")
    # Wherever the flip lands, the manifest's sha256 sees it (pg_restore may not).
    assert failed("b-flipped-toc.dump")["sha256"] == "differs from its manifest"
    assert "gzip" in failed("c-truncated.sql.gz")
    assert "trailer" in failed("d-no-trailer.sql")
    assert failed("e-empty.dump") == {"size": "the file is empty"}
    assert "shrinkage" in failed("g-shrunk.sql")
    assert failed("i-link-out.dump") == {
        "location": "a symbolic link leading out of the backup directory"
    }
    assert by_name["f-good-plain.sql"]["valid"]
    assert by_name["h-old-good.sql.gz"]["valid"]
    assert by_name[good.name]["valid"]
    assert found["latest_backup"]["filename"] == good.name
    assert found["backups_invalid"] == 8
    assert code == 0, found["problems"]  # the newest is valid and fresh; old broken ones reported
    after = {p.name: p.read_bytes() for p in good.parent.iterdir() if p.is_file()}
    assert after == before  # verification never alters a backup

    good.unlink()  # now the newest valid backup is 49 h old
    code, found = report(env)
    assert code == 1
    assert any("above the RPO of 26 h" in p for p in found["problems"])


def test_restore_of_a_plain_gzipped_dump(corpus: tuple[dict[str, str], Path]) -> None:
    env, good = corpus
    folder = good.parent
    plain = folder / "h-old-good.sql.gz"
    for other in folder.iterdir():
        if other != plain:
            other.unlink()
    code, found = report(env, "--restore-test")
    assert code == 1  # a hand-made dump has no manifest: nothing proves its rows
    assert "no manifest" in found["restore_test"]["error"]

    write_manifest(env["PRICING_DATABASE_URL"], plain)
    os.utime(plain)  # fresh, so the RPO holds too
    code, found = report(env, "--restore-test")
    assert code == 0, found
    assert found["restore_test"]["differences"] == []
    assert found["restore_test"]["smoke"]["ok"]


def write_manifest(database_url: str, backup: Path) -> None:
    """The manifest `backups create` would have written: the figures of the database as it
    is now, which is what the plain dump of the corpus holds."""
    from datetime import UTC, datetime

    from sqlalchemy import create_engine

    from pricing_adapters.backups.figures import table_figures
    from pricing_adapters.backups.manifest import Manifest, file_sha256
    from pricing_adapters.sql.engine import normalise_url

    engine = create_engine(normalise_url(database_url))
    try:
        with engine.connect() as connection:
            figures = table_figures(connection)
    finally:
        engine.dispose()
    Manifest(
        filename=backup.name,
        created=datetime.now(UTC),  # noqa: TID251 - as `backups create` stamps it
        database="postgresql",
        schema_revision=None,
        tables=figures,
        size=backup.stat().st_size,
        sha256=file_sha256(backup),
        seconds=0.0,
    ).write(backup)


def test_pg_dump_missing_names_the_package(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("pg_dump is for PostgreSQL")
    from pricing_adapters.backups import pgtools

    monkeypatch.setattr(pgtools, "DEBIAN_BIN", tmp_path / "none")
    monkeypatch.setenv("PATH", str(tmp_path))
    env = {
        "PRICING_DATA_DIR": str(tmp_path / "data"),
        "PRICING_DATABASE_URL": database_url,
        "PRICING_BUNDLED_DATA": "false",
        "PRICING_BACKUP_DIR": str(tmp_path / "backups"),
    }
    result = run(env, "backups", "create", "--json")
    assert result.exit_code == 1
    error = json.loads(result.stdout)["error"]
    assert "postgresql-client-" in error["message"]
    assert not list((tmp_path / "backups").glob("*")) if (tmp_path / "backups").exists() else True


def test_memory_has_nothing_to_back_up(tmp_path: Path) -> None:
    env = {"PRICING_DATA_DIR": str(tmp_path), "PRICING_DATABASE_URL": "memory://"}
    result = run(env, "backups", "create", "--json")
    assert result.exit_code == 1
    assert "memory://" in json.loads(result.stdout)["error"]["message"]
    shutil.rmtree(tmp_path / "backups", ignore_errors=True)
