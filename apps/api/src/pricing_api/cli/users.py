"""`pricing users`: the first administrator and other accounts, from the server's own shell.

There is no default account: the first administrator is made here. A password is read from
a prompt (typed twice) on a terminal, otherwise from the first line of standard input, or
generated with `--generate` and printed once. The command line acts as the system principal
`system:cli` (an ADMIN, `CLI_PRINCIPAL`), so the audit log says the command line made the
account.
"""

from __future__ import annotations

import sys

import click

from pricing_api.cli.common import container, emit_json, reporting_errors
from pricing_api.http.schemas import user_out
from pricing_core.access.audit import RequestInfo
from pricing_core.access.model import User
from pricing_core.access.roles import ROLE_ORDER, Role
from pricing_core.access.system import CLI_PRINCIPAL
from pricing_core.errors import InvalidRequest

__all__ = ["users"]

_PAGE = 200


@click.group("users")
def users() -> None:
    """Accounts: create the first administrator, other users, and list them."""


def _read_password(generate: bool) -> str | None:
    """None when one is to be generated; a prompt on a terminal, else stdin's first line."""
    if generate:
        return None
    if sys.stdin.isatty():
        entered: str = click.prompt("Password", hide_input=True, confirmation_prompt=True, err=True)
        return entered
    line = sys.stdin.readline()
    password = line.removesuffix("\n").removesuffix("\r")
    if not password:
        raise InvalidRequest("password", "give one on standard input, or use --generate")
    return password


def _create(ctx: click.Context, email: str, role: Role, name: str, generate: bool) -> None:
    services = container(ctx)
    info = RequestInfo(user_agent=f"pricing users ({ctx.info_name})")
    with reporting_errors(as_json=False):
        password = _read_password(generate)
        user, generated = services.access.create_user(
            CLI_PRINCIPAL, email, role, name, password, info
        )
    click.echo(f"created {user.role} {user.email} (id {user.id})")
    if generated is not None:
        expires = user.one_time_password_expires_at
        when = expires.isoformat(timespec="minutes") if expires else "never"
        click.echo(f"it must be changed at first login, and stops working at {when}")
        # Printed once, on stdout, so it can be piped to where it is handed on; never stored.
        click.echo(f"one-time password (shown once): {generated}")


_generate = click.option(
    "--generate", is_flag=True, help="Generate a password and print it once instead."
)
_name = click.option("--name", default="", help="Display name.")


@users.command("create-admin")
@click.argument("email")
@_name
@_generate
@click.pass_context
def create_admin(ctx: click.Context, email: str, name: str, generate: bool) -> None:
    """Create an ADMIN account (the first one, or another)."""
    _create(ctx, email, Role.ADMIN, name, generate)


@users.command("create")
@click.argument("email")
@click.option(
    "--role",
    required=True,
    type=click.Choice([str(r) for r in ROLE_ORDER], case_sensitive=False),
    help="The account's role.",
)
@_name
@_generate
@click.pass_context
def create(ctx: click.Context, email: str, role: str, name: str, generate: bool) -> None:
    """Create an account with a role."""
    _create(ctx, email, Role(role.upper()), name, generate)


def _all_users(ctx: click.Context) -> list[User]:
    services = container(ctx)
    found: list[User] = []
    while True:
        page, total = services.access.list_users(CLI_PRINCIPAL, len(found), _PAGE)
        found.extend(page)
        if not page or len(found) >= total:
            return found


@users.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def list_users(ctx: click.Context, as_json: bool) -> None:
    """Every account in creation order (never a password or its hash)."""
    with reporting_errors(as_json):
        found = _all_users(ctx)
    if as_json:
        emit_json([user_out(u) for u in found])  # the API's UserOut, field for field
        return
    if not found:
        click.echo("no accounts yet: create one with `pricing users create-admin EMAIL`")
    for u in found:
        state = "active" if u.active else "inactive"
        click.echo(f"{u.id}  {u.role:<10} {state:<8} {u.email}  {u.name}")
