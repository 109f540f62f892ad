"""Gear of the browser tests: Chromium's flags, the accounts, signing in, axe-core, screenshots.

Real Chromium (Debian's, through Playwright) against `pricing serve` as a subprocess.

One server per test session on a free port, with its own PRICING_DATA_DIR (embedded SQLite,
seeded with the shipped data by the first command) and an account per role. The tests skip,
saying why, when /usr/bin/chromium or Playwright is missing (.ci/run installs both).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs
import pytest

CHROMIUM = Path("/usr/bin/chromium")
# No internet here: without these, Chromium's background connections are refused in bursts.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SCREENSHOTS = Path(__file__).parents[3] / "docs" / "screenshots"
PASSWORD = "browser tests only: correct horse 7"
ROLES = {
    "admin": "admin@example.com",
    "hr_analyst": "analyst@example.com",
    "hr_manager": "manager@example.com",
    "viewer": "viewer@example.com",
}

MISSING = (
    "browser tests need Debian's chromium at /usr/bin/chromium (apt-get install chromium; "
    ".ci/run installs it)"
)


def need_a_browser() -> None:
    """Skip the calling test module, saying why, without Chromium or Playwright."""
    if not CHROMIUM.exists():
        pytest.skip(MISSING, allow_module_level=True)
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


@attrs.frozen
class Site:
    base: str
    data_dir: Path


def sign_in(page: Any, role: str) -> None:
    page.goto("/")
    page.get_by_label("Email").fill(ROLES[role])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/price")


def serious_violations(page: Any) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now (none expected)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the debugging protocol, not a <script>: the pages' CSP allows none.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate("async () => (await window.axe.run(document)).violations")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


def screenshot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
