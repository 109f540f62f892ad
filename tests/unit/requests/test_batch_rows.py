"""Batch rows: each row read as pricing inputs, a bad one named by its column, the rest priced."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pricing_core.access.model import Principal
from pricing_core.access.roles import Role
from pricing_core.batch.rows import (
    INPUT_COLUMNS,
    RESULT_COLUMNS,
    BatchSummary,
    PriceBatch,
    output_columns,
    row_inputs,
)
from pricing_core.errors import InvalidRequest, ServiceUnavailable
from pricing_core.pricing.service import PriceJob
from pricing_core.requests.pricer import PriceInputs
from pricing_core.requests.quote import PriceQuote
from tests.gear.clock import FakeClock
from tests.unit.pricing.conftest import EFFECTIVE, OEWS, SWE, build_market, make_cut
from tests.unit.requests.conftest import INPUTS, STEP, T0, ListPolicyStore

VIEWER = Principal(role=Role.VIEWER, user_id="v")


@pytest.fixture
def batch() -> PriceBatch:
    market = build_market()
    market.add(make_cut())
    price = PriceInputs(
        price_job=PriceJob(market=market),
        policies=ListPolicyStore(),
        clock=FakeClock(T0, step=STEP),
    )
    return PriceBatch(price_quote=PriceQuote(price_inputs=price))


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ({"title": "x", "match": f"{OEWS}:{SWE}", "area": "1"}, "title"),
        ({"area": "1"}, "title"),
        ({"match": "nocolon", "area": "1"}, "match"),
        ({"match": f"{OEWS}:{SWE}:great", "area": "1"}, "match"),
        ({"match": f"{OEWS}:{SWE}:close:0.9", "area": "1"}, "match"),
        ({"match": f"{OEWS}:{SWE}", "area": ""}, "area"),
        ({"match": f"{OEWS}:{SWE}", "area": "1", "date": "2026-13-01"}, "date"),
        ({"match": f"{OEWS}:{SWE}", "area": "1", "date": "1800-01-01"}, "date"),
        ({"match": f"{OEWS}:{SWE}", "area": "1", "percentile": "5"}, "percentile"),
        ({"match": f"{OEWS}:{SWE}", "area": "1", "percentile": "50.5"}, "percentile"),
        ({"match": f"{OEWS}:{SWE}", "area": "1", "level": "boss"}, "level"),
        ({"match": f"{OEWS}:{SWE}", "area": "1", "positioning": "lots"}, "positioning"),
        ({"match": f"{OEWS}:{SWE}", "area": "1", "positioning": "0.9"}, "positioning"),
        ({"match": f"{OEWS}:{SWE}", "area": "1", "spread": "NaN"}, "spread"),
        ({"match": ";".join([f"{OEWS}:{SWE}"] * 21), "area": "1"}, "match"),
    ],
)
def test_a_bad_cell_is_named_by_its_column(row: dict[str, str], column: str) -> None:
    with pytest.raises(InvalidRequest) as raised:
        row_inputs(row)
    assert raised.value.field == column


def test_a_row_reads_as_the_inputs_of_a_single_quote() -> None:
    inputs = row_inputs(
        {
            "match": f" {OEWS}:{SWE}:close:0.05 ; {OEWS}:15-1253 ",
            "area": "0041940",
            "date": "2026-01-01",
            "percentile": "75",
            "spread": "0.4",
            "industry": "",
        }
    )
    assert [m.job_code for m in inputs.matches] == [SWE, "15-1253"]
    assert inputs.matches[0].adjustment == Decimal("0.05")
    assert inputs.options.percentile == 75
    assert inputs.options.spread == Decimal("0.4")
    assert inputs.options.industry == INPUTS.options.industry


@given(st.dictionaries(st.sampled_from(INPUT_COLUMNS), st.text(max_size=30)))
def test_any_row_reads_as_inputs_or_names_an_input_column(row: dict[str, str]) -> None:
    field = None
    try:
        row_inputs(row)
    except InvalidRequest as error:
        field = error.field
    assert field is None or field in INPUT_COLUMNS


def test_a_bad_row_gets_its_error_and_the_others_are_priced_as_single_quotes(
    batch: PriceBatch,
) -> None:
    header = ["match", "area", "date", "percentile", "note"]
    good = [f"{OEWS}:{SWE}", "0041940", EFFECTIVE.isoformat(), "", "a"]
    summary = BatchSummary()
    rows = list(batch(VIEWER, header, [good, ["x", "0041940", "", "", "b"], [], good], summary))
    assert (summary.rows, summary.failed) == (3, 1)
    cells = [dict(zip(output_columns(header), r, strict=True)) for r in rows]
    assert cells[1]["error"].startswith("match:")  # type: ignore[union-attr]
    assert cells[1]["market_rate"] == ""
    single = batch.price_quote(VIEWER, row_inputs(dict(zip(header, good, strict=True))))
    assert cells[0]["market_rate"] == single.result.market_rate.quantize(Decimal("0.01"))
    assert cells[0]["p50"] == Decimal("150000.00")
    assert cells[0]["note"] == "a"
    assert cells[0] == cells[2]


def test_result_columns_follow_the_input_ones_and_a_repeated_one_is_overwritten() -> None:
    assert output_columns(["Title", "area", "error"]) == [
        "Title",
        "area",
        "error",
        *(c for c in RESULT_COLUMNS if c != "error"),
    ]


@pytest.mark.parametrize(
    "header", [["title"], ["area"], ["match", "area", "Area"]], ids=["no area", "no job", "twice"]
)
def test_a_header_without_its_columns_is_refused_as_the_file(header: list[str]) -> None:
    with pytest.raises(InvalidRequest) as raised:
        output_columns(header)
    assert raised.value.field == "file"


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ({"match": f"{OEWS}:{SWE}", "area": "Nowhere Land"}, "area"),
        ({"match": f"nosuch:{SWE}", "area": "0041940"}, "match"),
    ],
)
def test_a_row_that_cannot_be_priced_names_the_column_at_fault(
    batch: PriceBatch, row: dict[str, str], column: str
) -> None:
    header = list(row)
    priced = list(batch(VIEWER, header, [list(row.values())], BatchSummary()))
    error = dict(zip(output_columns(header), priced[0], strict=True))["error"]
    assert str(error).startswith(f"{column}: ")


class _Down:
    def __call__(self, principal: Principal, inputs: object) -> None:
        raise ServiceUnavailable("database did not answer")


def test_a_store_that_does_not_answer_stops_the_batch_instead_of_failing_every_row() -> None:
    down = PriceBatch(price_quote=_Down())  # type: ignore[arg-type]  # a quote whose store is down
    rows = down(VIEWER, ["match", "area"], [[f"{OEWS}:{SWE}", "0041940"]], BatchSummary())
    with pytest.raises(ServiceUnavailable):
        list(rows)
