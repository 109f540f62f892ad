"""Market data from the command line: a survey import taking part in a composite, versions,
activation and rejected files, on a real SQLite database that persists between commands."""

from __future__ import annotations

import json
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pricing_api.cli import cli

HEADER = (
    "job_code,job_title,area_code,industry_code,currency,effective_date,"
    "p10,p25,p50,p75,p90,pay_period,incumbents,organizations\n"
)
SURVEY = (
    HEADER
    + """\
ENG-SWE-P3,Software Engineer III,0041940,,USD,2025-11-01,,,15000,,,monthly,120,12
ENG-SWE-P4,Software Engineer IV,0041940,,USD,2025-11-01,,,18000,,,monthly,9,3
ENG-SWE-P2,Software Engineer II,0600000,,USD,2025-11-01,,,10000,,,monthly,300,20
"""
)


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("market")
    return {"PRICING_DATA_DIR": str(folder), "PRICING_DATABASE_URL": f"sqlite:///{folder}/p.db"}


def run(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env=env)


def aged(value: Decimal, effective: date, when: date) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 40
        years = Decimal((when - effective).days) / Decimal("365.25")
        return value * (Decimal("1.03").ln() * years).exp()


@pytest.fixture(scope="module")
def survey(env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("files") / "mercer-2025.csv"
    path.write_text(SURVEY)
    result = run(
        env,
        "market",
        "import-survey",
        str(path),
        "--source",
        "mercer-2025",
        "--months-per-year",
        "13",
        "--imported-by",
        "analyst@example.com",
        "--json",
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["outcome"], report["rows"]) == ("loaded", 3)
    return path


def test_a_survey_and_oews_make_the_rule_book_composite(env: dict[str, str], survey: Path) -> None:
    result = run(
        env,
        "price",
        "--match",
        "oews-2025:15-1252",
        "--match",
        "mercer-2025:ENG-SWE-P3:close",
        "--area",
        "0041940",
        "--date",
        "2026-01-01",
        "--json",
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    when = date(2026, 1, 1)
    oews = aged(Decimal(213110), date(2025, 5, 12), when)
    mercer = aged(Decimal(15000) * 13, date(2025, 11, 1), when)
    composite = (oews + Decimal("0.75") * mercer) / Decimal("1.75")
    assert body["market"]["p50"] == float(composite.quantize(Decimal("0.01"), ROUND_HALF_UP))
    # P10 has no survey figure: the composite there is OEWS alone.
    assert body["market"]["p10"] == float(
        aged(Decimal(138420), date(2025, 5, 12), when).quantize(Decimal("0.01"), ROUND_HALF_UP)
    )
    # Scores 100 and 90 (close match) weighted 1 : 0.75, two sources: no single-source deduction.
    assert body["confidence"]["score"] == 96
    assert body["dataset_versions"]["mercer-2025"].startswith("mercer-2025-")


def test_survey_cuts_below_the_minimum_sample_are_excluded(
    env: dict[str, str], survey: Path
) -> None:
    result = run(
        env,
        "price",
        "--match",
        "oews-2025:15-1252",
        "--match",
        "mercer-2025:ENG-SWE-P4",
        "--area",
        "0041940",
        "--date",
        "2026-01-01",
        "--json",
    )
    body = json.loads(result.stdout)
    excluded = {c["job_code"]: c["excluded"] for c in body["contributions"]}
    assert excluded == {"15-1252": None, "ENG-SWE-P4": "below_minimum_sample"}


def test_a_survey_without_all_occupations_rows_gives_gd_unknown(
    env: dict[str, str], survey: Path
) -> None:
    result = run(
        env,
        "price",
        "--match",
        "mercer-2025:ENG-SWE-P2",
        "--area",
        "0041940",
        "--date",
        "2026-01-01",
        "--json",
    )
    (contribution,) = json.loads(result.stdout)["contributions"]
    assert contribution["area_used"] == "0600000"
    assert contribution["notes"] == ["geo_fallback_state", "gd_unknown"]
    assert contribution["gd"] == 1.0


def test_the_same_file_again_is_a_no_op_that_says_so(env: dict[str, str], survey: Path) -> None:
    result = run(
        env,
        "market",
        "import-survey",
        str(survey),
        "--source",
        "mercer-2025",
        "--months-per-year",
        "13",
    )
    assert result.exit_code == 0
    assert "unchanged" in result.stdout


def test_a_bad_file_lists_every_bad_row_and_changes_nothing(
    env: dict[str, str], survey: Path, tmp_path: Path
) -> None:
    before = run(env, "market", "versions", "mercer-2025", "--json").stdout
    bad = tmp_path / "bad.csv"
    bad.write_text(
        SURVEY.replace("15000", "abc").replace("2025-11-01,,,18000", "2025-13-01,,,18000")
    )
    result = run(env, "market", "import-survey", str(bad), "--source", "mercer-2025")
    assert result.exit_code == 1
    assert "line 2, column p50: 'abc'" in result.stderr
    assert "line 3, column effective_date: '2025-13-01'" in result.stderr
    assert "nothing was changed" in result.stderr
    assert run(env, "market", "versions", "mercer-2025", "--json").stdout == before


def test_versions_and_activation_roll_back_and_forward(
    env: dict[str, str], survey: Path, tmp_path: Path
) -> None:
    newer = tmp_path / "mercer-2025-q4.csv"
    newer.write_text(SURVEY.replace("15000", "16000"))
    assert (
        run(
            env,
            "market",
            "import-survey",
            str(newer),
            "--source",
            "mercer-2025",
            "--months-per-year",
            "13",
            "--label",
            "q4",
        ).exit_code
        == 0
    )
    price = [
        "price",
        "--match",
        "mercer-2025:ENG-SWE-P3",
        "--area",
        "0041940",
        "--date",
        "2025-11-01",
        "--json",
    ]
    assert json.loads(run(env, *price).stdout)["market"]["p50"] == 208000.0
    versions = json.loads(run(env, "market", "versions", "mercer-2025", "--json").stdout)
    assert (versions[0]["version"], versions[0]["active"]) == ("q4", True)
    old = versions[1]["version"]
    assert run(env, "market", "activate", "mercer-2025", old).exit_code == 0
    assert json.loads(run(env, *price).stdout)["market"]["p50"] == 195000.0
    bad = run(env, "market", "activate", "mercer-2025", "nope")
    assert bad.exit_code != 0
    assert "nope" in bad.stderr
    sources = json.loads(run(env, "market", "sources", "--json").stdout)
    assert {s["source"]: s["active_version"] for s in sources} == {
        "mercer-2025": old,
        "oews-2025": "2025A01",
    }


def test_db_current_reports_the_head_revision(env: dict[str, str], survey: Path) -> None:
    body = json.loads(run(env, "db", "current", "--json").stdout)
    assert body["up_to_date"] is True


def test_command_line_imports_and_activations_are_audited(
    env: dict[str, str], survey: Path, tmp_path: Path
) -> None:
    from pricing_adapters.bootstrap import build_container
    from pricing_adapters.settings import Settings
    from pricing_core.access.model import AuditQuery

    versions = json.loads(run(env, "market", "versions", "mercer-2025", "--json").stdout)
    target = versions[-1]["version"]
    assert run(env, "market", "activate", "mercer-2025", target).exit_code == 0
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "X,Y,0041940,,USD,2025-11-01,,,not-a-number,,,monthly,1,1\n")
    run(env, "market", "import-survey", str(bad), "--source", "mercer-2025", "--imported-by", "ops")
    services = build_container(Settings.from_env(env))
    events, _ = services.access.audit_log.query(AuditQuery(limit=200))
    imports = [e for e in events if e.action == "market_import"]
    # One system actor; the person behind it is a detail of the row.
    assert {e.actor for e in events} == {"system:cli"}
    assert any(
        e.detail["operator"] == "analyst@example.com" and e.detail["outcome"] == "loaded"
        for e in imports
    )
    rejected = [e for e in imports if e.detail["operator"] == "ops"]
    assert [(e.outcome.value, e.detail["file"]) for e in rejected] == [("failure", "bad.csv")]
    activations = [e for e in events if e.action == "market_activate"]
    assert activations[0].detail["version"] == target  # newest first
    assert activations[0].actor == "system:cli"
    versions = json.loads(run(env, "market", "versions", "mercer-2025", "--json").stdout)
    assert {v["imported_by"] for v in versions} == {"system:cli"}
