"""One row of a batch: its columns read as pricing inputs, and its priced columns.

The command line (`pricing price --file`) and the `price_batch` job both price through
`PriceBatch`, so a file answers the same from either front door and every row answers what
`pricing price` answers for the same inputs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation

import attrs

from pricing_core.access.audit import require
from pricing_core.access.model import Principal
from pricing_core.access.roles import Permission
from pricing_core.errors import (
    AccessError,
    InvalidRequest,
    PercentileUnavailable,
    PricingError,
    ServiceUnavailable,
    UnknownArea,
)
from pricing_core.market.model import ALL_INDUSTRIES, PERCENTILES
from pricing_core.pricing.model import Match, PricingOptions
from pricing_core.pricing.policy import Quality
from pricing_core.pricing.rules import round_half_up
from pricing_core.requests.inputs import MAX_MATCHES, PricingInputs
from pricing_core.requests.quote import PriceQuote, Quoted

__all__ = [
    "INPUT_COLUMNS",
    "RESULT_COLUMNS",
    "BatchSummary",
    "Cell",
    "PriceBatch",
    "output_columns",
    "parse_match",
    "row_inputs",
]

INPUT_COLUMNS = (
    "title",
    "match",
    "area",
    "industry",
    "date",
    "level",
    "percentile",
    "positioning",
    "spread",
)
RESULT_COLUMNS = (
    "job_code",
    "occupation",
    "area_code",
    "currency",
    "market_rate",
    *(f"p{p}" for p in PERCENTILES),
    "minimum",
    "midpoint",
    "maximum",
    "confidence",
    "confidence_label",
    "warnings",
    "error",
)
CENT = Decimal("0.01")

# A priced value: text, a whole number (the confidence score) or money.
Cell = str | int | Decimal
# The inputs' field names as the file's columns name them.
_COLUMN_OF = {"pricing_date": "date", "matches": "match"}


def parse_match(spec: str) -> Match:
    """SOURCE:JOB_CODE[:QUALITY[:ADJUSTMENT]], e.g. oews-2025:15-1252:close:0.05."""
    parts = spec.strip().split(":")
    if not 2 <= len(parts) <= 4 or not all(p.strip() for p in parts[:2]):
        raise InvalidRequest("match", "is not SOURCE:JOB_CODE[:QUALITY[:ADJUSTMENT]]", spec)
    quality = parts[2].strip() if len(parts) > 2 and parts[2].strip() else Quality.EXACT.value
    if quality not in {q.value for q in Quality}:
        raise InvalidRequest("match", f"quality {quality!r} is not exact, close or partial", spec)
    adjustment = _decimal("match", parts[3]) if len(parts) > 3 else Decimal(0)
    try:
        return Match(
            source=parts[0].strip(),
            job_code=parts[1].strip(),
            quality=quality,
            adjustment=adjustment,
        )
    except InvalidRequest as error:
        raise InvalidRequest("match", f"{error.field} {error.problem}", spec) from error
    except ValueError as error:
        raise InvalidRequest("match", str(error), spec) from error


def _decimal(column: str, text: str) -> Decimal:
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        raise InvalidRequest(column, "is not a number", text) from None
    if not number.is_finite():
        raise InvalidRequest(column, "is not a finite number", text)
    return number


def _percentile(text: str) -> int:
    if not text.strip().isdigit():
        raise InvalidRequest("percentile", "must be a whole number from 10 to 90", text)
    return int(text)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidRequest("date", "is not a date of the form YYYY-MM-DD", text) from None


def row_inputs(row: Mapping[str, str]) -> PricingInputs:
    """The pricing inputs of a row (column name → text; a blank cell is no value).

    Raises InvalidRequest whose `field` is the column at fault.
    """

    def cell(column: str) -> str:
        return (row.get(column) or "").strip()

    specs = [s for s in cell("match").split(";") if s.strip()]
    if len(specs) > MAX_MATCHES:
        raise InvalidRequest("match", f"at most {MAX_MATCHES} matches", len(specs))
    if bool(cell("title")) == bool(specs):
        raise InvalidRequest("title", "give either a title or a match, not both")
    try:
        return PricingInputs(
            title=cell("title") or None,
            matches=[parse_match(s) for s in specs],
            area=cell("area"),
            pricing_date=_date(cell("date")) if cell("date") else None,
            options=PricingOptions(
                industry=cell("industry") or ALL_INDUSTRIES,
                percentile=_percentile(cell("percentile")) if cell("percentile") else None,
                level=cell("level") or None,
                positioning=_decimal("positioning", cell("positioning"))
                if cell("positioning")
                else None,
                spread=_decimal("spread", cell("spread")) if cell("spread") else None,
            ),
        )
    except InvalidRequest as error:
        column = _COLUMN_OF.get(error.field, error.field)
        if column == error.field:
            raise
        raise InvalidRequest(column, error.problem) from error


def _whole(value: Decimal) -> Decimal:
    # As the result JSON shows a range figure: whole when it is, cents otherwise.
    return Decimal(int(value)) if value == value.to_integral_value() else value


def _priced(inputs: PricingInputs, quoted: Quoted) -> dict[str, Cell]:
    result = quoted.result
    if quoted.matched is not None:
        job_code, occupation = quoted.matched.chosen.job_code, quoted.matched.chosen.title
    else:
        job_code = ";".join(dict.fromkeys(m.job_code for m in inputs.matches))
        occupation = ""
    cells: dict[str, Cell] = {
        "job_code": job_code,
        "occupation": occupation,
        "area_code": result.area.code,
        "currency": result.currency,
        "market_rate": round_half_up(result.market_rate, CENT),
    }
    for p in PERCENTILES:
        value = result.market.get(p)
        cells[f"p{p}"] = "" if value is None else round_half_up(value, CENT)
    cells.update(
        minimum=_whole(result.range.minimum),
        midpoint=_whole(result.range.midpoint),
        maximum=_whole(result.range.maximum),
        confidence=result.confidence.score,
        confidence_label=result.confidence.label,
        warnings="; ".join(result.warnings),
        error="",
    )
    return cells


def _row_error(error: PricingError, row: Mapping[str, str]) -> str:
    """`column: problem`: the column is named by the error, or by what kind of error it is."""
    if isinstance(error, InvalidRequest):
        return error.message
    if isinstance(error, UnknownArea):
        column = "area"
    elif isinstance(error, PercentileUnavailable):
        column = "percentile"
    else:  # an unknown source, no market data, currencies that do not mix: the job asked
        column = "title" if (row.get("title") or "").strip() else "match"
    return f"{column}: {error.message}"


def _header(header: Sequence[str]) -> list[str]:
    names = [name.strip().lower() for name in header]
    seen: set[str] = set()
    for name in names:
        if name and name in seen:
            raise InvalidRequest("file", f"the column {name!r} appears twice")
        seen.add(name)
    if "title" not in seen and "match" not in seen:
        raise InvalidRequest("file", "needs a `title` or a `match` column")
    if "area" not in seen:
        raise InvalidRequest("file", "needs an `area` column")
    return names


def output_columns(header: Sequence[str]) -> list[str]:
    """Every input column as it is named, then each result column the input lacks."""
    names = _header(header)
    return [*header, *(c for c in RESULT_COLUMNS if c not in names)]


@attrs.define
class BatchSummary:
    """How many rows were priced and how many of them failed, counted as they go."""

    rows: int = 0
    failed: int = 0


@attrs.frozen(kw_only=True)
class PriceBatch:
    """Prices each row of a table with the single-quote use case (needs VIEW_JOB_PRICING).

    A row that cannot be priced gets `error` (`column: problem`, or the pricing error's
    message) and the others go on. The output keeps every input value in its column and
    fills the result columns; a result column the input already has is overwritten.
    """

    price_quote: PriceQuote

    def __call__(
        self,
        principal: Principal,
        header: Sequence[str],
        rows: Iterable[Sequence[str]],
        summary: BatchSummary,
        progress: Callable[[int], None] | None = None,
    ) -> Iterator[list[Cell]]:
        """Output rows, aligned with `output_columns(header)`, counted into `summary`.

        The header and the permission are checked before the first row is read.
        """
        require(principal, Permission.VIEW_JOB_PRICING)
        names = _header(header)
        columns = output_columns(header)
        return self._rows(principal, names, columns, rows, summary, progress)

    def _rows(
        self,
        principal: Principal,
        names: list[str],
        columns: list[str],
        rows: Iterable[Sequence[str]],
        summary: BatchSummary,
        progress: Callable[[int], None] | None,
    ) -> Iterator[list[Cell]]:
        keys = [*names, *columns[len(names) :]]
        for values in rows:
            if not any(v.strip() for v in values):
                continue  # a blank line is no job
            row = dict(zip(names, values, strict=False))
            cells: dict[str, Cell] = dict(zip(names, values, strict=False))
            cells.update(self._price(principal, row))
            summary.rows += 1
            if cells["error"]:
                summary.failed += 1
            if progress is not None:
                progress(summary.rows)
            yield [cells.get(key, "") for key in keys]

    def _price(self, principal: Principal, row: Mapping[str, str]) -> dict[str, Cell]:
        try:
            inputs = row_inputs(row)
            return _priced(inputs, self.price_quote(principal, inputs))
        except (ServiceUnavailable, AccessError):
            raise  # not the row's fault: the batch stops (a job is retried or failed)
        except PricingError as error:
            return {**dict.fromkeys(RESULT_COLUMNS, ""), "error": _row_error(error, row)}
