"""What every command shares: the container, error reporting and JSON output."""

from __future__ import annotations

import getpass
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import click

from pricing_adapters.bootstrap import Container, build_container
from pricing_adapters.jwt_keys import KeySetError
from pricing_adapters.prepare import prepare
from pricing_adapters.process import start_process
from pricing_adapters.settings import Settings, SettingsError
from pricing_core.errors import InvalidRequest, PricingError, UnknownArea

__all__ = [
    "EXIT_AMBIGUOUS",
    "EXIT_FAILED",
    "cli_actor",
    "container",
    "emit_json",
    "reporting_errors",
]

EXIT_FAILED = 1
EXIT_AMBIGUOUS = 2  # also click's exit code for a usage error: bad input is the caller's to fix


def container(ctx: click.Context, *, prepared: bool = True, started: bool = True) -> Container:
    """The container for this invocation, built once from the environment.

    `prepared` migrates the database and seeds it with the shipped data on first use;
    `started` starts the process (error reporting; a command prints no log lines) unless a
    server the command runs starts its own.
    """
    root = ctx.find_root()
    if root.obj is None:
        try:
            root.obj = build_container(Settings.from_env())
        except (SettingsError, KeySetError) as error:  # one line naming the setting
            raise click.UsageError(str(error)) from error
    services: Container = root.obj
    if started and not root.meta.get("started"):
        start_process(services.settings, logs=False)
        root.meta["started"] = True
    if prepared and not root.meta.get("prepared"):
        prepare(services, announce=lambda text: click.echo(text, err=True))
        root.meta["prepared"] = True
    return services


def emit_json(payload: Any) -> None:
    click.echo(json.dumps(payload, ensure_ascii=False))


def _fail(error: PricingError, as_json: bool) -> NoReturn:
    code = EXIT_AMBIGUOUS if isinstance(error, UnknownArea | InvalidRequest) else EXIT_FAILED
    if as_json:
        emit_json({"error": error.as_dict()})
    else:
        click.echo(f"error [{error.code}]: {error.message}", err=True)
        if isinstance(error, UnknownArea) and error.candidates:
            click.echo("areas that match:", err=True)
            for code_, name in error.candidates:
                click.echo(f"  {code_}  {name}", err=True)
    sys.exit(code)


@contextmanager
def reporting_errors(as_json: bool) -> Iterator[None]:
    """Turn domain errors into a message (or the JSON error body) and a non-zero exit."""
    try:
        yield
    except PricingError as error:
        _fail(error, as_json)
    except ValueError as error:
        # Value constructors validate on creation: their message names the field.
        _fail(InvalidRequest("request", str(error)), as_json)


def cli_actor(name: str | None = None) -> str:
    """How the audit log names a command-line change: `cli:` and who ran it."""
    return f"cli:{name or getpass.getuser()}"
