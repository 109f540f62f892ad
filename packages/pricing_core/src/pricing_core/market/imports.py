"""What an import reports: the rows it loaded, or every bad row with line, column and reason."""

from __future__ import annotations

from enum import StrEnum

import attrs

__all__ = ["AreasReport", "ImportOutcome", "ImportReport", "ProblemLog", "RowProblem"]

MAX_LISTED = 200  # a report lists this many problems and counts the rest


@attrs.frozen(kw_only=True)
class RowProblem:
    """One bad value: `line` counts from 1 with the header as line 1 (0: the file itself)."""

    line: int
    column: str
    value: str
    reason: str

    def describe(self) -> str:
        where = f"line {self.line}" if self.line else "file"
        shown = f" {self.value!r}" if self.value else ""
        return f"{where}, column {self.column or '-'}:{shown} {self.reason}"


@attrs.define
class ProblemLog:
    """Collects problems while a file streams; keeps the first MAX_LISTED and counts all."""

    problems: list[RowProblem] = attrs.field(factory=list)
    count: int = 0

    def add(self, line: int, column: str, value: object, reason: str) -> None:
        self.count += 1
        if len(self.problems) < MAX_LISTED:
            text = "" if value is None else str(value)
            self.problems.append(
                RowProblem(line=line, column=column, value=text[:80], reason=reason)
            )

    def __bool__(self) -> bool:
        return self.count > 0


class ImportOutcome(StrEnum):
    LOADED = "loaded"  # a new version, now active
    UNCHANGED = "unchanged"  # same checksum as the active version: nothing to do
    REJECTED = "rejected"  # bad rows: nothing changed


@attrs.frozen(kw_only=True)
class ImportReport:
    """The figures at the end of an import; `problems` is empty unless rejected."""

    source: str
    version: str
    outcome: ImportOutcome
    rows: int = 0
    seconds: float = 0.0
    sha256: str = ""
    problems: tuple[RowProblem, ...] = ()
    problem_count: int = 0

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0


@attrs.frozen(kw_only=True)
class AreasReport:
    """An areas file's outcome: loaded (added or updated) or rejected with every problem."""

    outcome: ImportOutcome
    areas: int = 0
    problems: tuple[RowProblem, ...] = ()
    problem_count: int = 0
