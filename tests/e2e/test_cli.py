"""The `pricing` command line as a user runs it: output, JSON and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from pricing_adapters.bootstrap import Container, Ports
from pricing_api.cli import cli
from tests.gear.clock import FakeClock
from tests.gear.worlds import settings_for, world


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> Container:
    settings = settings_for(tmp_path_factory.mktemp("data"))
    return world(settings, ports=Ports(clock=FakeClock(datetime(2026, 1, 1, tzinfo=UTC))))


def run(services: Container, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), obj=services)
    return result.exit_code, result.stdout, result.stderr


def test_price_json_is_the_rule_book_result(services: Container) -> None:
    code, out, _ = run(
        services,
        "price",
        "--match",
        "oews-2025:15-1252",
        "--area",
        "0041940",
        "--date",
        "2026-01-01",
        "--json",
    )
    assert code == 0
    body = json.loads(out)
    assert body["market"]["p50"] == 217184.13
    assert body["range"] == {
        "minimum": 173700,
        "midpoint": 217200,
        "maximum": 260600,
        "spread": 0.5,
    }
    assert body["area"] == {"code": "0041940", "name": "San Jose-Sunnyvale-Santa Clara, CA"}


def test_price_by_area_name_and_default_date_from_the_clock(services: Container) -> None:
    code, out, _ = run(
        services, "price", "--match", "oews-2025:151252", "--area", "San Jose", "--json"
    )
    assert code == 0
    assert json.loads(out)["pricing_date"] == "2026-01-01"


def test_human_output_explains_the_numbers(services: Container) -> None:
    code, out, _ = run(
        services,
        "price",
        "--match",
        "oews-2025:15-1252",
        "--area",
        "0041940",
        "--date",
        "2026-01-01",
    )
    assert code == 0
    for expected in (
        "173,700",
        "217,200",
        "260,600",
        "Confidence 90 (high)",
        "single source: -10",
        "effective 2025-05-12",
        "oews-2025 2025A01",
    ):
        assert expected in out


def test_ambiguous_area_lists_candidates_and_exits_2(services: Container) -> None:
    code, _, err = run(services, "price", "--match", "oews-2025:15-1252", "--area", "Portland")
    assert code == 2
    assert "Portland-Vancouver-Hillsboro, OR-WA" in err
    assert "Portland-South Portland, ME" in err


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--area", "Atlantis"], "Atlantis"),
        (["--area", "0041940", "--percentile", "95"], "--percentile"),
        (["--area", "0041940", "--date", "2026-13-01"], "2026-13-01"),
        (["--area", "0041940", "--spread", "abc"], "abc"),
        (["--area", "0041940", "--industry", "999999"], "industry"),
        (["--area", "0041940", "--level", "senior", "--percentile", "40"], "percentile"),
    ],
)
def test_bad_input_is_named_and_exits_non_zero(
    services: Container, args: list[str], needle: str
) -> None:
    code, out, err = run(services, "price", "--match", "oews-2025:15-1252", *args)
    assert code == 2  # the caller's input: click's usage code, and ours for bad values
    assert needle in out + err


def test_bad_match_spec_names_the_problem(services: Container) -> None:
    code, _, err = run(services, "price", "--match", "oews-2025", "--area", "0041940")
    assert code == 2
    assert "SOURCE:JOB_CODE" in err
    code, _, err = run(services, "price", "--match", "oews-2025:15-1252:great", "--area", "0041940")
    assert code == 2
    assert "great" in err


def test_json_errors_carry_the_code(services: Container) -> None:
    code, out, _ = run(
        services, "price", "--match", "mercer-2025:ENG-1", "--area", "0041940", "--json"
    )
    assert code == 2  # a source that is not loaded is the caller's input to fix
    assert json.loads(out)["error"]["code"] == "unknown_source"
    code, out, _ = run(
        services,
        "price",
        "--match",
        "oews-2025:29-1211",
        "--area",
        "0024340",
        "--percentile",
        "90",
        "--json",
    )
    assert code == 0
    assert json.loads(out)["lower_bound"] == ["p90"]


def test_areas_search(services: Container) -> None:
    code, out, _ = run(services, "areas", "search", "san jose", "--json")
    assert code == 0
    assert [a["code"] for a in json.loads(out)] == ["0041940"]


def test_the_installed_command_runs_in_a_fresh_data_dir(tmp_path: Path) -> None:
    env = {"PRICING_DATA_DIR": str(tmp_path), "PATH": str(Path(sys.executable).parent)}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pricing_api",
            "price",
            "--match",
            "oews-2025:15-1252",
            "--area",
            "0041940",
            "--date",
            "2026-01-01",
            "--json",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["market_rate"] == 217184.13
