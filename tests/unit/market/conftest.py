"""An areas-only MarketReader for the place search tests."""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import pytest

from pricing_core.market.model import Area, Cut, Industry, Source

AREAS = (
    Area(code="0000000", name="U.S.", kind="national"),
    Area(code="0600000", name="California", kind="state", parent="0000000"),
    Area(code="0041940", name="San Jose-Sunnyvale-Santa Clara, CA", kind="metro", parent="0600000"),
    Area(code="0041860", name="San Francisco-Oakland-Fremont, CA", kind="metro", parent="0600000"),
    Area(
        code="0600004",
        name="North Coast Region of California nonmetropolitan area",
        kind="nonmetro",
        parent="0600000",
    ),
    Area(code="2400000", name="Maryland", kind="state", parent="0000000"),
    Area(code="0015680", name="California-Lexington Park, MD", kind="metro", parent="2400000"),
    Area(code="4100000", name="Oregon", kind="state", parent="0000000"),
    Area(
        code="0038900", name="Portland-Vancouver-Hillsboro, OR-WA", kind="metro", parent="4100000"
    ),
    Area(code="2300000", name="Maine", kind="state", parent="0000000"),
    Area(code="0038860", name="Portland-South Portland, ME", kind="metro", parent="2300000"),
    Area(code="SG", name="Singapore", kind="national"),
)


@attrs.frozen
class AreasOnly:
    by_code: dict[str, Area]

    def source(self, name: str) -> Source | None:
        return None

    def sources(self) -> Sequence[Source]:
        return []

    def area(self, code: str) -> Area | None:
        return self.by_code.get(code)

    def areas(self) -> Sequence[Area]:
        return list(self.by_code.values())

    def industry(self, code: str) -> Industry | None:
        return None

    def cut(
        self, source: str, version: str, job_code: str, area_code: str, industry_code: str
    ) -> Cut | None:
        return None


@pytest.fixture
def places() -> AreasOnly:
    return AreasOnly({a.code: a for a in AREAS})
