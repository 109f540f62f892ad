"""The shipped occupation list and title aliases, read from the package's data files."""

from __future__ import annotations

import csv
import gzip
import io
from importlib import resources

from pricing_core.matching import Alias, Occupation

__all__ = ["load_aliases", "load_occupations"]

_DETAILED = "3"


def _text(*parts: str) -> str:
    resource = resources.files("pricing_adapters").joinpath("data", *parts)
    raw = resource.read_bytes()
    if parts[-1].endswith(".gz"):
        raw = gzip.decompress(raw)
    return raw.decode("utf-8")


def _soc(code: str) -> str:
    return f"{code[:2]}-{code[2:]}"


def load_occupations() -> tuple[Occupation, ...]:
    """Every OEWS May 2025 occupation, groups included (`detailed` false), codes as `15-1252`."""
    rows = csv.DictReader(io.StringIO(_text("oews-2025", "occupations.csv.gz")))
    return tuple(
        Occupation(
            code=_soc(row["code"]),
            title=row["title"],
            detailed=row["display_level"] == _DETAILED,
        )
        for row in rows
    )


def load_aliases() -> tuple[Alias, ...]:
    """The project's title aliases, in file order (an alias listed twice prefers its first code)."""
    rows = csv.DictReader(io.StringIO(_text("title_aliases.csv")))
    return tuple(Alias(text=row["alias"], code=row["soc_code"]) for row in rows)
