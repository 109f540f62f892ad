"""Structured logs: JSON or readable text, the request id and caller on every line, no secret."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from pricing_adapters.logging_setup import (
    configure_logging,
    current_request_id,
    request_id_from,
    request_scope,
    uses_json,
)
from pricing_adapters.settings import Settings


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def settings(tmp_path: Path, **env: str) -> Settings:
    return Settings.from_env({"PRICING_DATA_DIR": str(tmp_path), **env})


def test_a_json_line_carries_the_request_and_hides_secrets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging(settings(tmp_path, PRICING_LOG_FORMAT="json"))
    with request_scope("req-7", user_id=lambda: "u-42"):
        assert current_request_id() == "req-7"
        logging.getLogger("pricing_api.request").info(
            "request", extra={"route": "/x", "status": 200, "refresh_token": "SECRET-XYZ"}
        )
    assert current_request_id() is None
    [line] = [json.loads(x) for x in capsys.readouterr().err.splitlines() if '"request"' in x]
    assert line["event"] == "request"
    assert (line["request_id"], line["user_id"]) == ("req-7", "u-42")
    assert (line["route"], line["status"], line["level"]) == ("/x", 200, "info")
    assert line["refresh_token"] == "[Filtered]"
    assert line["timestamp"].endswith("Z")


def test_a_terminal_gets_readable_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(settings(tmp_path, PRICING_LOG_FORMAT="console"))
    with request_scope("req-8"):
        logging.getLogger("pricing_api.request").warning("request", extra={"status": 503})
    err = capsys.readouterr().err
    assert "request_id=req-8" in err
    assert "status=503" in err
    assert not err.lstrip().startswith("{")


def test_a_console_traceback_is_plain_and_shows_no_local_variables(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Rich tracebacks render every frame's locals: slow (a minute for one 500) and leaky.
    configure_logging(settings(tmp_path, PRICING_LOG_FORMAT="console"))

    def fail(refresh: str) -> None:
        held = refresh.upper()
        raise LookupError(f"nothing for {len(held)} characters")

    try:
        fail("-".join(["local", "secret", "value"]))  # the value is in no source line
    except LookupError:
        logging.getLogger("pricing_api").exception("unhandled error")
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err
    assert "LookupError: nothing for 18 characters" in err
    assert "local-secret-value" not in err.lower()  # neither `refresh` nor `held`


def test_configuring_twice_keeps_one_line_per_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging(settings(tmp_path, PRICING_LOG_FORMAT="json"))
    configure_logging(settings(tmp_path, PRICING_LOG_FORMAT="json"))
    logging.getLogger("pricing_api.request").info("once")
    assert capsys.readouterr().err.count('"once"') == 1


@pytest.mark.parametrize(
    ("env", "json_lines"),
    [
        ({}, False),
        ({"PRICING_ENVIRONMENT": "production"}, True),
        ({"PRICING_ENVIRONMENT": "production", "PRICING_LOG_FORMAT": "console"}, False),
        ({"PRICING_LOG_FORMAT": "JSON"}, True),
    ],
)
def test_json_in_production_or_when_asked(
    tmp_path: Path, env: dict[str, str], json_lines: bool
) -> None:
    assert uses_json(settings(tmp_path, **env)) is json_lines


@pytest.mark.parametrize(
    "given", ["abc-123", "0f8fad5b-d9cb-469f-a165-70867728950e", "a" * 128, "trace:1.2_3"]
)
def test_a_well_formed_request_id_is_kept(given: str) -> None:
    assert request_id_from(given) == given


@pytest.mark.parametrize("given", [None, "", "a" * 129, "x\r\ny", "<script>", "-leading", "a b"])
def test_any_other_gets_a_new_one(given: str | None) -> None:
    made = request_id_from(given)
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    assert made != request_id_from(given)
