"""Pricing from a free-text job title: match the title, then price the best occupation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import attrs

from pricing_core.errors import InvalidRequest
from pricing_core.matching.model import Candidate, TitleMatch
from pricing_core.matching.service import TitleMatcher
from pricing_core.pricing.model import Match, PricingOptions, PricingRequest, PricingResult
from pricing_core.pricing.policy import PricingPolicy, Quality
from pricing_core.pricing.service import PriceJob

__all__ = ["PriceTitle", "TitlePricing", "quality_for", "title_match_json"]

EXACT_SCORE = 0.85
CLOSE_SCORE = 0.6


def quality_for(score: float) -> Quality:
    """A weaker title match is a weaker job match: it weighs less and lowers confidence."""
    if score >= EXACT_SCORE:
        return Quality.EXACT
    return Quality.CLOSE if score >= CLOSE_SCORE else Quality.PARTIAL


@attrs.frozen(kw_only=True)
class TitlePricing:
    match: TitleMatch
    chosen: Candidate
    result: PricingResult


def title_match_json(found: TitlePricing) -> dict[str, Any]:
    """The result JSON's `title_match`: the title as given, the occupation priced, and
    every candidate it was chosen from (the CLI, the API and saved requests show the same)."""
    return {
        "title": found.match.title,
        "chosen": found.chosen.job_code,
        "candidates": [
            {"job_code": c.job_code, "title": c.title, "score": c.score, "reason": c.reason}
            for c in found.match.candidates
        ],
    }


@attrs.frozen(kw_only=True)
class PriceTitle:
    """Match a title to occupations of `source`, then price the best candidate."""

    price_job: PriceJob
    matcher: Callable[[], TitleMatcher]
    source: str

    def __call__(
        self,
        title: str,
        *,
        area: str,
        pricing_date: date,
        policy: PricingPolicy,
        options: PricingOptions,
    ) -> TitlePricing:
        found = self.matcher().match(title)
        if not found.candidates:
            raise InvalidRequest("title", "matches no occupation; try other words", title)
        chosen = found.candidates[0]
        inferred = options.percentile is None and options.level is None and found.level is not None
        request = PricingRequest(
            matches=(
                Match(
                    source=self.source, job_code=chosen.job_code, quality=quality_for(chosen.score)
                ),
            ),
            area=area,
            pricing_date=pricing_date,
            options=attrs.evolve(options, level=found.level) if inferred else options,
        )
        result = self.price_job(request, policy)
        if inferred and found.level is not None:
            note = (
                f"level {found.level} from the title word {found.level_word!r} "
                f"(P{policy.percentile_for(found.level)})"
            )
            result = attrs.evolve(result, warnings=(note, *result.warnings))
        return TitlePricing(match=found, chosen=chosen, result=result)
