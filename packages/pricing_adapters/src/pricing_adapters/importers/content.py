"""The content checksum of a version: the same cut rows give the same checksum, whatever
file they came from (the OEWS SQLite, BLS flat files, the shipped extract) and in any order.

Each row is written in one canonical text (numbers without trailing zeros, ISO dates, empty
for none) and hashed; the checksum is the sum of the row hashes modulo 2**256, so the order
of the rows does not count and a repeated row does.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal

from pricing_adapters.importers.records import CutRow

__all__ = ["ContentDigest", "canonical_row"]

_MODULUS = 1 << 256
# CutRow's fields by kind: which are numbers with decimals, which whole numbers, which a date.
_DECIMALS = frozenset({5, 6, 7, 8, 9, 14})
_COUNTS = frozenset({11, 12, 13})
_DATE = 4


def _text(position: int, value: object) -> str:
    if value is None or value == "":
        return ""
    if position in _DECIMALS:
        number = Decimal(str(value)).normalize()
        return format(number, "f")
    if position in _COUNTS:
        return str(int(str(value)))
    if position == _DATE:
        return value.isoformat() if isinstance(value, date) else str(value)[:10]
    return str(value)


def canonical_row(row: Sequence[object]) -> bytes:
    """A cut row (a CutRow, or the same columns as a database returns them) as one text."""
    return "\x1f".join(_text(n, v) for n, v in enumerate(row)).encode()


class ContentDigest:
    """Adds rows one at a time; `hexdigest()` is the content checksum of those added."""

    def __init__(self) -> None:
        self._sum = 0

    def add(self, row: Sequence[object]) -> None:
        hashed = hashlib.sha256(canonical_row(row)).digest()
        self._sum = (self._sum + int.from_bytes(hashed, "big")) % _MODULUS

    def feed(self, rows: Iterable[CutRow]) -> Iterator[CutRow]:
        """`rows`, adding each as it passes: a stream keeps streaming."""
        for row in rows:
            self.add(row)
            yield row

    def hexdigest(self) -> str:
        return f"{self._sum:064x}"

    @classmethod
    def of(cls, rows: Iterable[Sequence[object]]) -> str:
        digest = cls()
        for row in rows:
            digest.add(row)
        return digest.hexdigest()
