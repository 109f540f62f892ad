"""Shared gear for the pricing rule book's unit tests: a small in-memory market.

The tree is national 0000000 → California 0600000 → San Jose metro 0041940 and a California
nonmetro area 0600004, plus two Portlands (for ambiguous names). Every area has an
all-occupations `00-0000` cut so that the geographic differential is known:
national 50,000, California 60,000, San Jose 80,000, the nonmetro area 40,000.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import attrs
import pytest

from pricing_core.market.model import (
    ALL_INDUSTRIES,
    ALL_OCCUPATIONS,
    PERCENTILES,
    Area,
    Cut,
    Industry,
    MissingReason,
    Percentile,
    Source,
    SourceKind,
)
from pricing_core.pricing.model import Contribution, Match, PricingResult
from pricing_core.pricing.policy import PricingPolicy, Quality
from pricing_core.pricing.service import PriceJob
from tests.gear.requests import pricing_request

OEWS = "oews-2025"
SURVEY = "mercer-2025"
EFFECTIVE = date(2025, 5, 12)
SWE = "15-1252"

AREAS = (
    Area(code="0000000", name="U.S.", kind="national"),
    Area(code="0600000", name="California", kind="state", parent="0000000"),
    Area(code="0041940", name="San Jose-Sunnyvale-Santa Clara, CA", kind="metro", parent="0600000"),
    Area(
        code="0600004",
        name="North Coast Region of California nonmetropolitan area",
        kind="nonmetro",
        parent="0600000",
    ),
    Area(code="4100000", name="Oregon", kind="state", parent="0000000"),
    Area(
        code="0038900", name="Portland-Vancouver-Hillsboro, OR-WA", kind="metro", parent="4100000"
    ),
    Area(code="2300000", name="Maine", kind="state", parent="0000000"),
    Area(code="0038860", name="Portland-South Portland, ME", kind="metro", parent="2300000"),
)
ALL_OCC_MEDIANS = {"0000000": 50000, "0600000": 60000, "0041940": 80000, "0600004": 40000}

PercentileSpec = Percentile | Decimal | int | str | None


def make_cut(
    values: Sequence[PercentileSpec] = (100000, 120000, 150000, 180000, 200000),
    *,
    source: str = OEWS,
    version: str = "2025A01",
    job_code: str = SWE,
    area_code: str = "0041940",
    industry_code: str = ALL_INDUSTRIES,
    effective_date: date = EFFECTIVE,
    **facts: Any,
) -> Cut:
    """A cut from five percentile specs: a number, a Percentile, or None (suppressed)."""

    def state(spec: PercentileSpec) -> Percentile:
        if isinstance(spec, Percentile):
            return spec
        if spec is None:
            return Percentile.missing(MissingReason.SUPPRESSED)
        return Percentile.of(spec)

    return Cut(
        source=source,
        version=version,
        job_code=job_code,
        area_code=area_code,
        industry_code=industry_code,
        effective_date=effective_date,
        percentiles={p: state(v) for p, v in zip(PERCENTILES, values, strict=True)},
        **facts,
    )


@attrs.define
class FakeMarket:
    """A MarketReader over dicts; `add` stores cuts under their own version."""

    source_by_name: dict[str, Source] = attrs.field(factory=dict)
    area_by_code: dict[str, Area] = attrs.field(factory=dict)
    industry_by_code: dict[str, Industry] = attrs.field(factory=dict)
    cut_by_key: dict[tuple[str, str, str, str, str], Cut] = attrs.field(factory=dict)

    def add(self, *cuts: Cut) -> FakeMarket:
        for c in cuts:
            key = (c.source, c.version, c.job_code, c.area_code, c.industry_code)
            self.cut_by_key[key] = c
        return self

    def remove(self, source: str, job_code: str, area_code: str) -> None:
        for key in [
            k for k in self.cut_by_key if (k[0], k[2], k[3]) == (source, job_code, area_code)
        ]:
            del self.cut_by_key[key]

    def source(self, name: str) -> Source | None:
        return self.source_by_name.get(name)

    def sources(self) -> Sequence[Source]:
        return list(self.source_by_name.values())

    def area(self, code: str) -> Area | None:
        return self.area_by_code.get(code)

    def areas(self) -> Sequence[Area]:
        return list(self.area_by_code.values())

    def industry(self, code: str) -> Industry | None:
        return self.industry_by_code.get(code)

    def cut(
        self, source: str, version: str, job_code: str, area_code: str, industry_code: str
    ) -> Cut | None:
        return self.cut_by_key.get((source, version, job_code, area_code, industry_code))

    def jobs(self, source: str) -> Sequence[tuple[str, str]]:
        """The job codes of the source's active version; cuts carry no titles, so the code is
        its own title."""
        found = self.source_by_name.get(source)
        version = None if found is None else found.active_version
        return sorted({(k[2], k[2]) for k in self.cut_by_key if k[:2] == (source, version)})


def build_market() -> FakeMarket:
    market = FakeMarket(
        source_by_name={
            OEWS: Source(name=OEWS, top_code=Decimal(239200), active_version="2025A01"),
            SURVEY: Source(name=SURVEY, kind=SourceKind.SURVEY, active_version="2025.1"),
            "retired": Source(name="retired", active_version=None),
        },
        area_by_code={a.code: a for a in AREAS},
        industry_by_code={"511200": Industry(code="511200", name="Software Publishers")},
    )
    for code, median in ALL_OCC_MEDIANS.items():
        market.add(
            make_cut((None, None, median, None, None), job_code=ALL_OCCUPATIONS, area_code=code)
        )
    return market


@pytest.fixture
def market() -> FakeMarket:
    return build_market()


@pytest.fixture(scope="session")
def new_market() -> Callable[[], FakeMarket]:
    """A factory, for hypothesis tests that need a fresh market per example."""
    return build_market


@pytest.fixture(scope="session")
def cut() -> Callable[..., Cut]:
    return make_cut


def run_price(
    market: FakeMarket,
    *matches: Match,
    policy: PricingPolicy | None = None,
    **request: Any,
) -> PricingResult:
    request.setdefault("area", "0041940")
    request.setdefault("pricing_date", EFFECTIVE)
    chosen = matches or (Match(source=OEWS, job_code=SWE),)
    return PriceJob(market=market)(
        pricing_request(matches=chosen, **request), policy or PricingPolicy()
    )


@pytest.fixture
def price(market: FakeMarket) -> Callable[..., PricingResult]:
    """Price on the `market` fixture; defaults: OEWS 15-1252 exact, San Jose, on EFFECTIVE."""

    def run(*matches: Match, policy: PricingPolicy | None = None, **request: Any) -> PricingResult:
        return run_price(market, *matches, policy=policy, **request)

    return run


@pytest.fixture(scope="session")
def price_on() -> Callable[..., PricingResult]:
    """Price on a given market (for hypothesis tests)."""
    return run_price


def make_contribution(
    percentiles: dict[int, Decimal | int | str],
    weight: Decimal | int | str | None = 1,
    *,
    lower_bound: frozenset[int] = frozenset(),
    source: str = OEWS,
) -> Contribution:
    """An included contribution carrying already adjusted percentiles (for composite tests)."""
    return Contribution(
        source=source,
        version="v1",
        job_code=SWE,
        quality=Quality.EXACT,
        area_requested="0041940",
        area_used="0041940",
        weight=None if weight is None else Decimal(weight),
        score=100,
        percentiles={p: Decimal(v) for p, v in percentiles.items()},
        lower_bound=lower_bound,
    )


@pytest.fixture(scope="session")
def contrib() -> Callable[..., Contribution]:
    return make_contribution
