"""A compact set of row keys that remembers where each was first seen."""

from __future__ import annotations

from array import array
from collections.abc import Hashable

__all__ = ["KeyIndex"]

_MASK = (1 << 64) - 1


class KeyIndex:
    """Finds repeated keys in a stream with 16 to 32 bytes a key, not a dict's 150.

    Keys are kept as 64-bit hashes in open-addressing tables (split in 64 so that a
    growing table never doubles the whole index at once). Two different keys share a
    hash with a chance of about n² / 2⁶⁵: one in 10⁸ for a million rows, so a reported
    repeat is, for any real file, a repeat. Hashes are per process, as is the index.
    """

    def __init__(self) -> None:
        self._hashes = [array("Q", bytes(8 * 64)) for _ in range(64)]
        self._lines = [array("I", bytes(array("I").itemsize * 64)) for _ in range(64)]
        self._used = [0] * 64

    def __len__(self) -> int:
        return sum(self._used)

    def first_line(self, key: Hashable, line: int) -> int | None:
        """The line `key` was first seen at, or None after remembering it at `line`."""
        code = (hash(key) & _MASK) or 1  # 0 marks a free slot
        part = code & 63
        hashes, lines = self._hashes[part], self._lines[part]
        size = len(hashes) - 1
        slot = (code >> 6) & size
        while True:
            found = hashes[slot]
            if found == code:
                return int(lines[slot])
            if not found:
                break
            slot = (slot + 1) & size
        hashes[slot], lines[slot] = code, line
        self._used[part] += 1
        # Linear probing stays short up to three quarters full.
        if self._used[part] * 4 > len(hashes) * 3:
            self._grow(part)
        return None

    def _grow(self, part: int) -> None:
        old_hashes, old_lines = self._hashes[part], self._lines[part]
        hashes = array("Q", bytes(16 * len(old_hashes)))
        lines = array("I", bytes(2 * old_lines.itemsize * len(old_lines)))
        size = len(hashes) - 1
        for code, line in zip(old_hashes, old_lines, strict=True):
            if code:
                slot = (code >> 6) & size
                while hashes[slot]:
                    slot = (slot + 1) & size
                hashes[slot], lines[slot] = code, line
        self._hashes[part], self._lines[part] = hashes, lines
