"""`pricing market refresh --wait`: the drop folders imported on the embedded SQLite.

Real files in temporary drop folders and a real database: both sources succeed; no files;
one source's bad file is reported by line while the other imports; a database failure fails
the refresh as a whole; a bad `source.toml` is named by file and key; timings are recorded.
The schedule starts the same job.
"""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from pricing_adapters.bootstrap import Ports
from pricing_api.cli import cli
from pricing_core.market.refresh import MARKET_REFRESH
from tests.gear.clock import FakeClock
from tests.gear.worlds import open_world, settings_for

HEADER = (
    "job_code,job_title,area_code,industry_code,currency,effective_date,"
    "p10,p25,p50,p75,p90,pay_period,incumbents,organizations\n"
)
AREAS = "code,name,kind,parent\nSG,Singapore,national,\nSG-01,Central Singapore,state,SG\n"
GOOD = HEADER + (
    "ENG-SWE-P3,Software Engineer III,SG-01,,SGD,2025-11-01,,,9000,,,monthly,120,12\n"
    "ENG-SWE-P4,Software Engineer IV,SG-01,,SGD,2025-11-01,,,11000,,,monthly,40,8\n"
)
OTHER = HEADER + "FIN-ACC-2,Accountant II,SG,,SGD,2025-10-01,60000,70000,80000,90000,99000,,,\n"
# Line 3 has an unknown area and a negative median; line 4 percentiles that go down.
BAD = HEADER + (
    "FIN-ACC-1,Accountant I,SG,,SGD,2025-10-01,,,50000,,,,,\n"
    "FIN-ACC-2,Accountant II,XX-99,,SGD,2025-10-01,,,-5,,,,,\n"
    "FIN-ACC-3,Accountant III,SG,,SGD,2025-10-01,90000,80000,85000,,,,,\n"
)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        "PRICING_DATA_DIR": str(tmp_path),
        "PRICING_DATABASE_URL": f"sqlite:///{tmp_path}/p.db",
        "PRICING_BUNDLED_DATA": "false",
    }


def drop(env: dict[str, str]) -> Path:
    return Path(env.get("PRICING_MARKET_DROP_DIR") or Path(env["PRICING_DATA_DIR"]) / "market-drop")


def put(env: dict[str, str], source: str, name: str, text: str, toml: str = "") -> Path:
    folder = drop(env) / source
    folder.mkdir(parents=True, exist_ok=True)
    if toml:
        (folder / "source.toml").write_text(toml)
    path = folder / name
    path.write_text(text)
    return path


def run(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env=env)


def refresh(env: dict[str, str], *args: str, code: int = 0) -> dict[str, Any]:
    result = run(env, "market", "refresh", "--wait", "--json", *args)
    assert result.exit_code == code, result.output
    found: dict[str, Any] = json.loads(result.stdout.splitlines()[-1])
    return found


def by_source(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["source"]: s for s in report["sources"]}


def with_areas(env: dict[str, str]) -> None:
    put(env, "sg-areas", "sg.csv", AREAS, 'kind = "areas"\n')


def test_both_sources_succeed_and_their_files_are_put_away(
    env: dict[str, str], tmp_path: Path
) -> None:
    env["PRICING_MARKET_DROP_DIR"] = str(tmp_path / "elsewhere")
    with_areas(env)
    put(
        env,
        "mercer-2025",
        "mercer.csv",
        GOOD,
        'kind = "survey"\ntitle = "Mercer Singapore 2025"\npay_period = "monthly"\n'
        'months_per_year = 13\ncurrency = "SGD"\n',
    )
    put(env, "acme-2025", "acme.csv", OTHER)

    report = refresh(env)

    assert report["status"] == "succeeded"
    assert set(report) == {"job_id", "status", "sources"}
    sources = by_source(report)
    assert sources["sg-areas"]["status"] == "imported"
    assert sources["sg-areas"]["rows"] == 2
    mercer, acme = sources["mercer-2025"], sources["acme-2025"]
    assert (mercer["status"], mercer["files"], mercer["rows"]) == ("imported", 1, 2)
    assert (acme["status"], acme["files"], acme["rows"]) == ("imported", 1, 1)
    assert mercer["errors"] == acme["errors"] == []
    for source, name in [("mercer-2025", "mercer.csv"), ("acme-2025", "acme.csv")]:
        assert (drop(env) / source / "imported" / name).is_file()
        assert not (drop(env) / source / name).exists()
    listed = {s["source"]: s for s in json.loads(run(env, "market", "sources", "--json").stdout)}
    assert listed["mercer-2025"]["active_version"] == mercer["version"]
    assert listed["mercer-2025"]["title"] == "Mercer Singapore 2025"
    versions = json.loads(run(env, "market", "versions", "acme-2025", "--json").stdout)
    assert versions[0]["imported_by"] == "system:refresh"
    # 9000 a month over 13 months, as source.toml says.
    settings = settings_for(env["PRICING_DATA_DIR"], env["PRICING_DATABASE_URL"], **env)
    with open_world(settings, prepared=False) as container:
        cut = container.market.cut(
            "mercer-2025", mercer["version"], "ENG-SWE-P3", "SG-01", "000000"
        )
    assert cut is not None
    assert cut.percentiles[50].value == 117000

    again = refresh(env)
    assert {s["status"] for s in again["sources"]} == {"no_files"}


def test_no_files_is_a_normal_outcome(env: dict[str, str]) -> None:
    nothing = refresh(env)
    assert (nothing["status"], nothing["sources"]) == ("succeeded", [])

    with_areas(env)
    put(env, "acme-2025", "acme.csv", OTHER)
    assert refresh(env)["status"] == "succeeded"
    # A file older than the active version is not imported, and left where it is.
    old = put(env, "acme-2025", "old.csv", OTHER.replace("80000", "81000"))
    past = old.stat().st_mtime - 400 * 86400
    os.utime(old, (past, past))
    (drop(env) / "empty").mkdir()

    report = refresh(env)

    assert report["status"] == "succeeded"
    sources = by_source(report)
    assert set(sources) == {"acme-2025", "empty", "sg-areas"}
    for found in sources.values():
        assert (found["status"], found["files"], found["rows"], found["errors"]) == (
            "no_files",
            0,
            0,
            [],
        )
    assert old.is_file()


def test_one_sources_bad_file_is_reported_by_line_and_the_other_still_imports(
    env: dict[str, str],
) -> None:
    with_areas(env)
    put(env, "mercer-2025", "mercer.csv", GOOD)
    put(env, "acme-2025", "acme.csv", BAD)

    report = refresh(env, code=1)

    assert report["status"] == "partial"
    sources = by_source(report)
    assert sources["mercer-2025"]["status"] == "imported"
    acme = sources["acme-2025"]
    assert (acme["status"], acme["files"], acme["rows"], acme["version"]) == (
        "failed",
        1,
        0,
        None,
    )
    where = {(e["file"], e["line"], e["column"]) for e in acme["errors"]}
    assert {("acme.csv", 3, "area_code"), ("acme.csv", 3, "p50")} <= where
    assert any(e["line"] == 4 for e in acme["errors"])
    failed = drop(env) / "acme-2025" / "failed"
    assert (failed / "acme.csv").is_file()
    written = json.loads((failed / "acme.csv.errors.json").read_text())
    assert written["errors"] == acme["errors"]
    assert run(env, "market", "versions", "acme-2025").exit_code == 3  # nothing loaded
    assert (drop(env) / "mercer-2025" / "imported" / "mercer.csv").is_file()

    text = run(env, "market", "refresh", "--wait")
    assert text.exit_code == 0  # nothing new: the bad file is out of the way


def test_a_database_failure_fails_the_refresh_as_a_whole(env: dict[str, str]) -> None:
    with_areas(env)
    assert refresh(env)["status"] == "succeeded"
    waiting = put(env, "mercer-2025", "mercer.csv", GOOD)
    database = Path(env["PRICING_DATA_DIR"]) / "p.db"
    with sqlite3.connect(database) as connection:
        connection.execute("DROP TABLE market_cuts")

    report = refresh(env, code=1)

    assert report["status"] == "failed"
    assert report["sources"] == []
    assert "OperationalError" in report["error"]
    assert waiting.is_file()  # left for the next refresh
    assert not (drop(env) / "mercer-2025" / "failed").exists()
    shown = json.loads(run(env, "jobs", "show", report["job_id"], "--json").stdout)
    assert shown["status"] == "failed"


def test_a_bad_source_toml_is_named_by_file_and_key_and_the_others_go_on(
    env: dict[str, str],
) -> None:
    with_areas(env)
    put(env, "mercer-2025", "mercer.csv", GOOD, "months_per_year = 40\n")
    put(env, "acme-2025", "acme.csv", OTHER, 'kind = "salary"\n')
    put(env, "misspelt", "m.csv", OTHER, 'curency = "SGD"\n')
    put(env, "broken", "b.csv", OTHER, "kind = survey\n")
    put(env, "good-2025", "good.csv", OTHER)
    put(env, "sgd-only", "usd.csv", OTHER.replace("SGD", "USD"), 'currency = "SGD"\n')

    report = refresh(env, code=1)

    assert report["status"] == "partial"
    sources = by_source(report)
    assert sources["good-2025"]["status"] == "imported"
    expected = {
        "mercer-2025": "months_per_year",
        "acme-2025": "kind",
        "misspelt": "curency",
        "broken": "-",
    }
    for source, key in expected.items():
        found = sources[source]
        assert found["status"] == "failed"
        (error,) = found["errors"]
        assert (error["file"], error["column"]) == (f"{source}/source.toml", key)
        assert error["reason"]
        # Nothing was taken from a folder that could not be read as configured.
        assert not (drop(env) / source / "failed").exists()
    assert "12 to 16" in sources["mercer-2025"]["errors"][0]["reason"]
    (other,) = sources["sgd-only"]["errors"]
    assert (other["column"], other["value"]) == ("currency", "USD")
    assert (drop(env) / "sgd-only" / "failed" / "usd.csv.errors.json").is_file()
    assert "survey, oews, areas" in sources["acme-2025"]["errors"][0]["reason"]

    only = refresh(env, "--source", "nowhere", code=1)
    assert by_source(only)["nowhere"]["errors"][0]["reason"].startswith("no drop folder")
    bad_name = run(env, "market", "refresh", "--wait", "--json", "--source", "Not A Name")
    assert bad_name.exit_code == 2
    assert "payload.source" in bad_name.output


def test_timings_are_recorded_per_source_and_for_the_job(env: dict[str, str]) -> None:
    with_areas(env)
    put(env, "mercer-2025", "mercer.csv", GOOD)

    report = refresh(env, "--source", "sg-areas")
    assert set(by_source(report)) == {"sg-areas"}
    report = refresh(env)

    job = json.loads(run(env, "jobs", "show", report["job_id"], "--json").stdout)
    assert job["kind"] == MARKET_REFRESH
    started = datetime.fromisoformat(job["started_at"])
    ended = datetime.fromisoformat(job["finished_at"])
    assert started <= ended
    for source in report["sources"]:
        assert isinstance(source["seconds"], float)
        assert 0 <= source["seconds"] <= (ended - started).total_seconds() + 0.001
    assert job["report"]["sources"] == report["sources"]
    assert job["progress"] == {"done": 2, "total": 2}


def test_the_schedule_starts_the_refresh(tmp_path: Path) -> None:
    settings = settings_for(
        tmp_path,
        f"sqlite:///{tmp_path}/p.db",
        PRICING_BUNDLED_DATA="false",
        PRICING_REFRESH_SCHEDULE="0 2 * * *",
    )
    put({"PRICING_DATA_DIR": str(tmp_path)}, "sg-areas", "sg.csv", AREAS, 'kind = "areas"\n')
    clock = FakeClock(datetime.fromisoformat("2026-03-01T01:59:00+00:00"))
    with open_world(settings, ports=Ports(clock=clock)) as container:
        scheduler = container.jobs.scheduler()
        clock.advance(minutes=2)
        started = scheduler.tick()
        assert started == ["market_refresh@2026-03-01T02:00Z"]
        container.jobs.wait()
        job = container.jobs.store.get(started[0])
        assert job is not None
        assert job.status == "succeeded"
        assert job.started_by == "system:scheduler"
        assert job.report is not None
        assert job.report["sources"][0]["status"] == "imported"  # type: ignore[index]
