"""A statement's shape: its literals and parameters replaced by `?`, named by a short hash.

An IN list or a multi-row VALUES counts once, so statements differing only in their values
share one shape, whose id is also its metric label.
"""

from __future__ import annotations

import functools
import hashlib
import re

__all__ = ["normalise", "shape_id", "shaped"]

CACHED_LENGTH = 2000
_RULES = (
    (re.compile(r"/\*.*?\*/|--[^\n]*", re.S), " "),
    (re.compile(r"'(?:[^']|'')*'"), "?"),
    (re.compile(r"%\(\w+\)s|%s|\$\d+|(?<![:\w]):\w+"), "?"),
    (re.compile(r"\b\d+(?:\.\d+)?(?:e[+-]?\d+)?\b", re.I), "?"),
    (re.compile(r"\s+"), " "),
    (re.compile(r"\(\s*\?(?:\s*,\s*\?)+\s*\)"), "(?)"),
    (re.compile(r"(\(\?\))(?:\s*,\s*\(\?\))+"), r"\1"),
)


def normalise(statement: str) -> str:
    """The statement's shape: literals and parameters as `?`, lists collapsed, one space."""
    return shaped(statement)[0]


def _normalise(statement: str) -> str:
    shape = statement
    for pattern, replacement in _RULES:
        shape = pattern.sub(replacement, shape)
    return shape.strip()


def shape_id(shape: str) -> str:
    return hashlib.blake2b(shape.encode(), digest_size=5).hexdigest()


def shaped(statement: str) -> tuple[str, str]:
    """(shape, id) of `statement`."""
    # Repeated statements are the common case: remember their shapes, but not the long
    # ones (a multi-row INSERT of a bulk load) whose text alone would fill the cache.
    if len(statement) <= CACHED_LENGTH:
        return _shaped_cached(statement)
    shape = _normalise(statement)
    return shape, shape_id(shape)


@functools.lru_cache(maxsize=4096)
def _shaped_cached(statement: str) -> tuple[str, str]:
    shape = _normalise(statement)
    return shape, shape_id(shape)
