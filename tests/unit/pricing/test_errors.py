"""The error root: stable codes, readable messages and the data that explains them."""

from __future__ import annotations

import pytest

from pricing_core.errors import (
    CurrencyMismatch,
    InvalidRequest,
    NoMarketData,
    PercentileUnavailable,
    PricingError,
    UnknownArea,
    UnknownSource,
)


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (InvalidRequest("percentile", "out of range", 95), "invalid_request"),
        (NoMarketData("nothing", excluded=[]), "no_market_data"),
        (PercentileUnavailable(95, [10, 50]), "percentile_unavailable"),
        (UnknownArea("Atlantis"), "unknown_area"),
        (UnknownSource("nope"), "unknown_source"),
        (CurrencyMismatch(["USD", "SGD"]), "currency_mismatch"),
    ],
)
def test_every_error_has_its_code_and_one_root(error, code) -> None:
    assert isinstance(error, PricingError)
    assert error.code == code
    body = error.as_dict()
    assert (body["code"], body["message"]) == (code, str(error))


def test_invalid_request_names_the_field_and_shows_the_value() -> None:
    error = InvalidRequest("percentile", "contradicts level senior (P75)", 60)
    assert str(error) == "percentile: contradicts level senior (P75) (got 60)"
    assert error.as_dict() == {
        "code": "invalid_request",
        "message": str(error),
        "field": "percentile",
        "problem": "contradicts level senior (P75)",
    }
    assert str(InvalidRequest("area", "is required")) == "area: is required"


def test_percentile_unavailable_lists_what_is_there() -> None:
    error = PercentileUnavailable(95, [10, 25, 50])
    assert str(error) == "P95 cannot be interpolated: the market has P10, P25, P50"
    assert error.as_dict()["available"] == [10, 25, 50]
    assert "the market has none" in str(PercentileUnavailable(50, []))


def test_currency_mismatch_lists_the_currencies_sorted() -> None:
    error = CurrencyMismatch(["USD", "SGD"])
    assert error.details["currencies"] == ["SGD", "USD"]
    assert str(error).endswith("SGD, USD")


def test_unknown_source_and_area_messages() -> None:
    assert "'nope'" in str(UnknownSource("nope"))
    assert str(UnknownArea("Atlantis")) == "unknown area 'Atlantis'"
    assert UnknownArea("Atlantis").as_dict()["candidates"] == []
