"""Fixtures of the browser tests: one `pricing serve` per session, one Chromium, pages.

The server runs as a subprocess on a free port, with its own PRICING_DATA_DIR (embedded
SQLite, seeded with the shipped data by the first command) and an account per role.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.e2e.browser.gear import CHROMIUM, CHROMIUM_ARGS, MISSING, PASSWORD, ROLES, Site


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _pricing(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "pricing_api", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    data_dir = tmp_path_factory.mktemp("pages-data")
    env = {
        **os.environ,  # noqa: TID251 - the child's environment
        "PRICING_DATA_DIR": str(data_dir),
        "PRICING_DATABASE_URL": "",
        "PRICING_REDIS_URL": "",
    }
    _pricing(env, "users", "create-admin", ROLES["admin"], stdin=PASSWORD + "\n")
    for role, email in ROLES.items():
        if role != "admin":
            _pricing(env, "users", "create", email, "--role", role, stdin=PASSWORD + "\n")
    port, log = _free_port(), data_dir / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "pricing_api", "serve", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(base + "/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"pricing serve did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        yield Site(base=base, data_dir=data_dir)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


# Per module, not per session: Playwright's sync API keeps an event loop running in this
# thread while it lives, and every later test that runs a loop of its own would fail.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(MISSING)
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def new_page(browser: Any, site: Site) -> Iterator[Any]:
    """Make pages in fresh contexts (no shared cookies), at laptop width unless told."""
    contexts: list[Any] = []

    def make(width: int = 1280, height: int = 900) -> Any:
        context = browser.new_context(
            base_url=site.base, viewport={"width": width, "height": height}
        )
        context.set_default_timeout(30_000)
        contexts.append(context)
        page = context.new_page()
        page.csp_errors = []
        page.on(
            "console",
            lambda message: (
                "Content Security Policy" in message.text and page.csp_errors.append(message.text)
            ),
        )
        return page

    yield make
    for context in contexts:
        context.close()
