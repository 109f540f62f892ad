"""The pricing use case: a request and a policy in, a fully explained result out."""

from __future__ import annotations

from decimal import Decimal

import attrs

from pricing_core.errors import CurrencyMismatch, InvalidRequest, NoMarketData, UnknownSource
from pricing_core.market.model import ALL_INDUSTRIES, Area, Source
from pricing_core.market.ports import MarketReader
from pricing_core.places import resolve_area
from pricing_core.pricing.confidence import confidence, cut_deductions
from pricing_core.pricing.model import Contribution, Match, PricingRequest, PricingResult
from pricing_core.pricing.policy import PricingPolicy
from pricing_core.pricing.resolution import geographic_differential, resolve_cut
from pricing_core.pricing.rules import (
    aging_factor,
    composite,
    interpolate,
    salary_range,
    usable_values,
)

__all__ = ["PriceJob"]


@attrs.frozen(kw_only=True)
class PriceJob:
    """Price one job from the active market data under a policy (pricing-method.md)."""

    market: MarketReader

    def __call__(self, request: PricingRequest, policy: PricingPolicy) -> PricingResult:
        area = resolve_area(self.market, request.area)
        self._check_target(request, policy)
        if (
            request.options.industry != ALL_INDUSTRIES
            and self.market.industry(request.options.industry) is None
        ):
            raise InvalidRequest("industry", "unknown industry code", request.options.industry)
        sources = {m.source: self._source(m.source) for m in request.matches}
        scoped = len(request.matches) > 1
        contributions = tuple(
            self._contribution(m, sources[m.source], area, request, policy, scoped)
            for m in request.matches
        )
        included = [c for c in contributions if c.included]
        if not included:
            raise NoMarketData(
                "no match has eligible market data for this area",
                excluded=[
                    {"source": c.source, "job_code": c.job_code, "reason": c.excluded}
                    for c in contributions
                ],
            )
        currencies = {c.currency or "" for c in included}
        if len(currencies) > 1:
            raise CurrencyMismatch(sorted(currencies))
        return self._result(request, policy, area, contributions, currencies.pop(), sources)

    def _source(self, name: str) -> Source:
        source = self.market.source(name)
        if source is None or source.active_version is None:
            raise UnknownSource(name)
        return source

    def _contribution(
        self,
        match: Match,
        source: Source,
        area: Area,
        request: PricingRequest,
        policy: PricingPolicy,
        scoped: bool,
    ) -> Contribution:
        base = Contribution(
            source=source.name,
            version=source.active_version,
            job_code=match.job_code,
            quality=match.quality,
            area_requested=area.code,
            adjustment=match.adjustment,
        )
        found = resolve_cut(
            self.market,
            source,
            match.job_code,
            area,
            request.options.industry,
            policy,
            request.pricing_date,
        )
        if found.cut is None:
            return attrs.evolve(base, excluded=found.excluded)
        cut = found.cut
        notes = list(found.notes)
        gd = geographic_differential(self.market, source, area.code, cut.area_code)
        if gd is None:
            gd = Decimal(1)
            notes.append("gd_unknown")
        days = (request.pricing_date - cut.effective_date).days
        af = aging_factor(
            request.options.aging_rate
            if request.options.aging_rate is not None
            else policy.aging_rate,
            days,
        )
        factor = gd * af * (Decimal(1) + match.adjustment)
        values = usable_values(cut, source.top_code)
        bounds = frozenset(p for p, (_, bound) in values.items() if bound)
        deductions = cut_deductions(
            notes=notes,
            quality=match.quality,
            wage_rse=cut.wage_rse,
            days=days,
            top_coded=bool(bounds),
            scope=f"{source.name} {match.job_code}" if scoped else "",
        )
        return attrs.evolve(
            base,
            area_used=cut.area_code,
            currency=cut.currency,
            industry_used=cut.industry_code,
            effective_date=cut.effective_date,
            gd=gd,
            af=af,
            weight=policy.source_weight(source.name) * policy.quality_weight(match.quality),
            score=100 - sum(d.points for d in deductions),
            percentiles={p: value * factor for p, (value, _) in values.items()},
            lower_bound=bounds,
            deductions=deductions,
            notes=tuple(notes),
        )

    def _result(
        self,
        request: PricingRequest,
        policy: PricingPolicy,
        area: Area,
        contributions: tuple[Contribution, ...],
        currency: str,
        sources: dict[str, Source],
    ) -> PricingResult:
        included = [c for c in contributions if c.included]
        market, bounds = composite(included)
        target = self._target(request, policy)
        value, used = interpolate(market, target)
        positioning = (
            request.options.positioning
            if request.options.positioning is not None
            else policy.positioning
        )
        market_rate = value * (Decimal(1) + positioning)
        spread = (
            request.options.spread
            if request.options.spread is not None
            else policy.spread_for(request.options.level)
        )
        warnings = [
            f"{c.source} {c.job_code} excluded: {c.excluded}"
            for c in contributions
            if not c.included
        ]
        if bounds & set(used):
            shown = ", ".join(f"P{p}" for p in sorted(bounds & set(used)))
            warnings.append(f"market rate is a lower bound: {shown} top-coded")
        return PricingResult(
            currency=currency,
            pricing_date=request.pricing_date,
            area=area,
            industry=request.options.industry,
            target_percentile=target,
            level=request.options.level,
            market=market,
            lower_bound=bounds,
            market_rate=market_rate,
            range=salary_range(market_rate, spread, policy.rounding_increment),
            confidence=confidence(included),
            contributions=contributions,
            dataset_versions={name: s.active_version or "" for name, s in sorted(sources.items())},
            warnings=tuple(warnings),
            policy_version=policy.version,
        )

    @staticmethod
    def _check_target(request: PricingRequest, policy: PricingPolicy) -> None:
        asked = request.options
        if asked.percentile is None or asked.level is None:
            return
        implied = policy.percentile_for(asked.level)
        if implied != asked.percentile:
            raise InvalidRequest(
                "percentile",
                f"contradicts level {asked.level} (P{implied}); give one or make them agree",
                asked.percentile,
            )

    @staticmethod
    def _target(request: PricingRequest, policy: PricingPolicy) -> int:
        asked = request.options
        if asked.percentile is not None:
            return asked.percentile
        if asked.level is not None:
            return policy.percentile_for(asked.level)
        return 50
