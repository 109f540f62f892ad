"""Reading helpers the importers share: checksums, progress-reporting streams, numbers."""

from __future__ import annotations

import gzip
import hashlib
import io
import re
import shutil
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from pricing_adapters.importers.records import Progress, ReleaseFile
from pricing_core.market.imports import ProblemLog
from pricing_core.market.model import Source

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

__all__ = [
    "BLOCK",
    "MAX_COUNT",
    "MAX_DIGITS",
    "READ_ERRORS",
    "ProgressReader",
    "gunzip_to",
    "open_text",
    "parse_count",
    "parse_decimal",
    "read_failure",
    "rejected",
    "sha256_of",
]

BLOCK = 1 << 20
# What a stream can raise half-way through a bad file: the importers turn these into a
# line-0 problem instead of letting one damaged byte abort the whole import report.
READ_ERRORS = (EOFError, OSError, zlib.error, UnicodeDecodeError)
_GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")


def sha256_of(path: Path) -> str:
    """The checksum that names a version: the file's bytes as given (compressed if .gz)."""
    digest = hashlib.sha256()
    block = bytearray(BLOCK)  # one buffer, refilled: memory stays at 1 MiB whatever the size
    view = memoryview(block)
    with path.open("rb") as handle:
        while count := handle.readinto(block):
            digest.update(view[:count])
    return digest.hexdigest()


class ProgressReader(io.RawIOBase):
    """A binary file that reports the bytes read from disk, never more than `total` in all.

    Readers that seek (zip, for XLSX) may read some bytes twice: the cap keeps the sum a
    file position a progress bar can show, and `finish()` reports what is left.
    """

    def __init__(self, handle: io.BufferedReader, total: int, progress: Progress | None) -> None:
        super().__init__()
        self._handle = handle
        self._left = total
        self._pending = 0
        self._progress = progress

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return self._handle.seekable()

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._handle.seek(offset, whence)

    def tell(self) -> int:
        return self._handle.tell()

    def readinto(self, buffer: WriteableBuffer) -> int:
        count = self._handle.readinto(buffer)
        self._report(count)
        return count

    def _report(self, count: int) -> None:
        step = min(count, self._left)
        self._left -= step
        self._pending += step
        # Text readers pull 8 KiB at a time: one call per MiB spares a progress bar 99% of them.
        if self._pending >= BLOCK or (self._left == 0 and self._pending):
            self._flush()

    def _flush(self) -> None:
        if self._progress is not None and self._pending:
            self._progress(self._pending)
        self._pending = 0

    def finish(self) -> None:
        """Report the bytes not read (yet): the file is done with."""
        self._report(self._left)

    def close(self) -> None:
        self._flush()
        self._handle.close()
        super().close()


@contextmanager
def open_text(path: Path, progress: Progress | None) -> Iterator[TextIO]:
    """UTF-8 text (a byte-order mark is dropped, `.gz` is decompressed) with raw-byte progress."""
    raw = ProgressReader(path.open("rb"), path.stat().st_size, progress)
    buffered = io.BufferedReader(raw, 1 << 16)
    text: TextIO
    if path.suffix == ".gz":
        packed = gzip.GzipFile(fileobj=buffered, mode="rb")
        text = io.TextIOWrapper(packed, encoding="utf-8-sig", newline="")
    else:
        text = io.TextIOWrapper(buffered, encoding="utf-8-sig", newline="")
    try:
        yield text
    finally:
        text.close()


def read_failure(error: BaseException) -> str:
    """The plain reason for one of READ_ERRORS."""
    if isinstance(error, EOFError):
        return "truncated gzip file"
    if isinstance(error, UnicodeDecodeError):
        return f"not UTF-8 text (byte {error.object[error.start]:#04x} at offset {error.start})"
    if isinstance(error, gzip.BadGzipFile | zlib.error):
        return f"not a valid gzip file ({error})"
    return f"cannot read the file ({error})"


def gunzip_to(source: Path, target: Path, progress: Progress | None) -> str | None:
    """Decompress `source` into `target`, reporting compressed bytes; a reason if it fails."""
    raw = ProgressReader(source.open("rb"), source.stat().st_size, progress)
    try:
        with (
            gzip.GzipFile(fileobj=io.BufferedReader(raw, BLOCK)) as packed,
            target.open("wb") as plain,
        ):
            shutil.copyfileobj(packed, plain, BLOCK)
    except READ_ERRORS as error:
        return read_failure(error)
    finally:
        raw.close()
    return None


MAX_DIGITS = 14  # Decimal.adjusted(): 15 digits before the point at most
MAX_COUNT = 2**31 - 1  # the count columns are 32-bit integers


def parse_decimal(text: str) -> Decimal:
    """A finite number, `1234.5` or `1,234.5`; ValueError with a plain reason otherwise."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        cleaned = text.strip()
        if not _GROUPED.fullmatch(cleaned):
            raise ValueError("not a number") from None
        value = Decimal(cleaned.replace(",", ""))
    if not value.is_finite():
        raise ValueError("not a number")
    if value.adjusted() > MAX_DIGITS:
        # 1e1000000 is a finite Decimal: int() of it builds a million digits (minutes of CPU)
        # and no database column holds it. No pay or count has more than 15 digits.
        raise ValueError(f"too large (more than {MAX_DIGITS + 1} digits)")
    return value


def parse_count(text: str) -> int:
    """A whole number (`12` or `12.0`, as spreadsheets write it); ValueError otherwise."""
    value = parse_decimal(text)
    if value != value.to_integral_value():
        raise ValueError("not a whole number")
    if value > MAX_COUNT:
        raise ValueError(f"too large (at most {MAX_COUNT:,})")
    return int(value)


def rejected(
    source: Source, label: str, sha256: str, total: int, problems: ProblemLog
) -> ReleaseFile:
    """The answer for a file that cannot be read at all: its problems and no rows."""
    return ReleaseFile(
        source=source, label=label, sha256=sha256, rows=iter(()), problems=problems,
        total_bytes=total,
    )  # fmt: skip
