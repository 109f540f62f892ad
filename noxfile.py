"""Checks and benchmarks: `uv run nox` runs every check; `uv run nox -s bench` the benchmarks."""

from __future__ import annotations

import nox

nox.options.default_venv_backend = "uv"
nox.options.sessions = ["lint", "typecheck", "imports", "core_isolated", "tests", "schemathesis"]
nox.options.reuse_existing_virtualenvs = True

SOURCES = ["packages", "apps", "tests", "scripts", "noxfile.py"]


def in_project(session: nox.Session, *args: str) -> None:
    """Run in the workspace environment that uv.lock pins (no per-session installs)."""
    session.run("uv", "run", "--frozen", *args, external=True)


@nox.session(venv_backend="none")
def lint(session: nox.Session) -> None:
    """ruff: style, bugs and the banned APIs (environment reads, wall-clock calls)."""
    in_project(session, "ruff", "check", *SOURCES)
    in_project(session, "ruff", "format", "--check", *SOURCES)


@nox.session(venv_backend="none")
def typecheck(session: nox.Session) -> None:
    """mypy --strict over every package and script."""
    in_project(session, "mypy")


@nox.session(venv_backend="none")
def imports(session: nox.Session) -> None:
    """import-linter: the core stays pure, adapters import no app, the apps stay apart."""
    in_project(session, "lint-imports")


@nox.session
def core_isolated(session: nox.Session) -> None:
    """The core's own tests with nothing but pricing_core installed: proves it stands alone."""
    session.install("./packages/pricing_core", "pytest>=8.3", "hypothesis>=6.100")
    session.run("pytest", "tests/unit", "-q", "-p", "no:cacheprovider", *session.posargs)


@nox.session(venv_backend="none")
def tests(session: nox.Session) -> None:
    """The whole test suite in the workspace environment."""
    in_project(session, "pytest", "-q", *session.posargs)


@nox.session(venv_backend="none")
def schemathesis(session: nox.Session) -> None:
    """Schemathesis, every check, against a real `pricing serve` process (an admin's token)."""
    in_project(session, "python", "scripts/schemathesis_live.py", *session.posargs)


@nox.session(venv_backend="none")
def browser(session: nox.Session) -> None:
    """The pages in real Chromium (also part of `tests`); skipped without /usr/bin/chromium."""
    in_project(session, "pytest", "tests/e2e/browser", "-q", *session.posargs)


@nox.session(venv_backend="none")
def bench(session: nox.Session) -> None:
    """Speed and accuracy figures, written to docs/benchmarks.md."""
    in_project(session, "python", "scripts/bench.py", *session.posargs)
