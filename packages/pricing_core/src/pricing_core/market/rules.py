"""Rules of market data sources: what a source may be named, and that its kind is fixed."""

from __future__ import annotations

import re

from pricing_core.errors import InvalidRequest, SourceKindConflict
from pricing_core.market.model import Source

__all__ = ["MAX_SOURCE_NAME", "check_kind_kept", "check_source_name"]

MAX_SOURCE_NAME = 64
# Lower-case, so that `OEWS-2025` and `oews-2025` cannot be two sources; no spaces or
# slashes, so a name is safe in a URL path, a file name and a log line.
_NAME = re.compile(r"[a-z0-9._-]+")


def check_source_name(name: str) -> str:
    """`name` when it is 1 to 64 lower-case letters, digits, `.`, `_` or `-`."""
    if not name:
        raise InvalidRequest("source", "a source name is required")
    if len(name) > MAX_SOURCE_NAME:
        raise InvalidRequest(
            "source", f"at most {MAX_SOURCE_NAME} characters, got {len(name)}", name
        )
    if not _NAME.fullmatch(name):
        raise InvalidRequest(
            "source", "only lower-case letters, digits, '.', '_' and '-' are allowed", name
        )
    return name


def check_kind_kept(stored: Source | None, incoming: Source) -> None:
    """A source keeps the kind it was created with: public statistics stay public, a
    survey stays a survey. Raises SourceKindConflict otherwise."""
    if stored is not None and stored.kind is not incoming.kind:
        raise SourceKindConflict(stored.name, str(stored.kind), str(incoming.kind))
