"""The shipped blocklist of common and breached passwords (data/common-passwords.txt)."""

from __future__ import annotations

from functools import cache
from importlib import resources

__all__ = ["load_blocklist"]

FILE = "common-passwords.txt"


@cache
def load_blocklist() -> frozenset[str]:
    """Every listed password, lower-cased; read once per process (about 56,000 entries)."""
    text = resources.files("pricing_adapters").joinpath("data", FILE).read_text("utf-8")
    return frozenset(
        line.strip().lower()
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    )
