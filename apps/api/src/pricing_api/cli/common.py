"""What every command shares: the container, the actor, error reporting and JSON output."""

from __future__ import annotations

import getpass
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import click
import msgspec

from pricing_adapters.bootstrap import Container, build_container
from pricing_adapters.jwt_keys import KeySetError
from pricing_adapters.prepare import prepare
from pricing_adapters.process import start_process
from pricing_adapters.settings import Settings, SettingsError
from pricing_core.access.system import CLI_PRINCIPAL
from pricing_core.errors import (
    AccessError,
    Conflict,
    InvalidRequest,
    NotFound,
    PricingError,
    ServiceUnavailable,
    UnknownArea,
    UnknownSource,
)

__all__ = [
    "CLI_PRINCIPAL",
    "EXIT_BY_ERROR",
    "EXIT_FAILED",
    "EXIT_INVALID",
    "container",
    "emit_json",
    "exit_code",
    "fail",
    "operator",
    "reporting_errors",
]

# The exit codes, one per kind of core error (the README lists them). Most specific first:
# the first class an error is an instance of decides, as the API's status table does.
EXIT_FAILED = 1  # the command ran and failed: rejected data, no market data to price
EXIT_INVALID = 2  # also click's usage error: bad input is the caller's to fix
EXIT_NOT_FOUND = 3
EXIT_CONFLICT = 4
EXIT_FORBIDDEN = 5
EXIT_UNAVAILABLE = 6
EXIT_BY_ERROR: tuple[tuple[type[PricingError], int], ...] = (
    (AccessError, EXIT_FORBIDDEN),
    (NotFound, EXIT_NOT_FOUND),
    (Conflict, EXIT_CONFLICT),
    (InvalidRequest, EXIT_INVALID),
    (UnknownArea, EXIT_INVALID),
    (UnknownSource, EXIT_INVALID),
    (ServiceUnavailable, EXIT_UNAVAILABLE),
    (PricingError, EXIT_FAILED),
)


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
    """Print `payload` as JSON; an answer struct (the API's own) prints as the API encodes it."""
    click.echo(json.dumps(msgspec.to_builtins(payload), ensure_ascii=False))


def exit_code(error: PricingError) -> int:
    return next(code for kind, code in EXIT_BY_ERROR if isinstance(error, kind))


def fail(error: PricingError, as_json: bool) -> NoReturn:
    """Print the error (`{"error": {"code", "message", …}}` with --json) and exit by its class."""
    code = exit_code(error)
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
        fail(error, as_json)
    except ValueError as error:
        # Value constructors validate on creation: their message names the field.
        fail(InvalidRequest("request", str(error)), as_json)


def operator(named: str | None = None) -> str:
    """The person behind the command line's system actor, kept in audit rows as a detail:
    the name given, or the operating-system user."""
    return named or getpass.getuser()
