"""PostgreSQL's client programs: the right major version, and how to point them at a database."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import URL, make_url

from pricing_core.backups.model import BackupFailed

__all__ = ["libpq_args", "server_major", "tool"]

VERSION = re.compile(r"\(PostgreSQL\) (\d+)")
# Debian and Ubuntu keep every installed major version's programs here.
DEBIAN_BIN = Path("/usr/lib/postgresql")


def server_major(engine: Engine) -> int:
    with engine.connect() as connection:
        number = connection.execute(text("SHOW server_version_num")).scalar_one()
    return int(number) // 10000


def _major_of(program: str) -> int | None:
    try:
        shown = subprocess.run(  # noqa: S603 - a program path we found, no shell
            [program, "--version"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except OSError:
        return None
    found = VERSION.search(shown)
    return int(found.group(1)) if found else None


def tool(name: str, major: int | None = None) -> str:
    """The path of `name` (pg_dump, pg_restore, psql) able to work with server `major`:
    that major's own program first, else one on the PATH of that major or newer."""
    candidates: list[str] = []
    if major is not None:
        candidates.append(str(DEBIAN_BIN / str(major) / "bin" / name))
    elif DEBIAN_BIN.is_dir():
        newest = sorted(
            (p for p in DEBIAN_BIN.iterdir() if p.name.isdigit()),
            key=lambda p: int(p.name),
            reverse=True,
        )
        candidates.extend(str(p / "bin" / name) for p in newest)
    on_path = shutil.which(name)
    if on_path:
        candidates.append(on_path)
    for candidate in candidates:
        if not Path(candidate).is_file():
            continue
        found = _major_of(candidate)
        if found is not None and (major is None or found >= major):
            return candidate
    wanted = f"for PostgreSQL {major} " if major is not None else ""
    package = f"postgresql-client-{major}" if major is not None else "postgresql-client"
    raise BackupFailed(
        f"{name} {wanted}was not found: install the {package} package "
        "(or put its bin folder on the PATH)",
        program=name,
        package=package,
    )


def libpq_args(url: str | URL) -> tuple[str, dict[str, str]]:
    """A libpq connection URL without the password, and the environment that carries it, so
    the password never shows in a process listing."""
    parsed = make_url(url)
    password = parsed.password
    plain = parsed.set(drivername="postgresql", password=None)
    env = {"PGPASSWORD": str(password)} if password else {}
    env["PGCONNECT_TIMEOUT"] = "10"
    return plain.render_as_string(hide_password=False), env
