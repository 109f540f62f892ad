"""Values of title matching: occupations, aliases, the ranked candidates and the match."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

import attrs

from pricing_core.levels import Level

__all__ = ["Alias", "Candidate", "Occupation", "TitleMatch"]

_SOC_CODE = re.compile(r"\d{2}-\d{4}")


def _soc_code(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not _SOC_CODE.fullmatch(value):
        raise ValueError(f"{attribute.name} must be a SOC code like 15-1252, got {value!r}")


def _not_blank(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not value.strip():
        raise ValueError(f"{attribute.name} must not be blank")


@attrs.frozen(kw_only=True)
class Occupation:
    """An occupation of the classification; `detailed` is false for the groups above them."""

    code: str = attrs.field(validator=_soc_code)
    title: str = attrs.field(validator=_not_blank)
    # Groups (major, minor, broad) stay known for look-ups but are not proposed by matching.
    detailed: bool = True


@attrs.frozen(kw_only=True)
class Alias:
    """A job title people use for an occupation whose official name reads differently."""

    text: str = attrs.field(validator=_not_blank)
    code: str = attrs.field(validator=_soc_code)


def _unit_interval(_instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not (math.isfinite(value) and 0.0 <= value <= 1.0):
        raise ValueError(f"{attribute.name} must lie in [0, 1], got {value!r}")


@attrs.frozen(kw_only=True)
class Candidate:
    """One proposed occupation: how well it fits (1 is an exact alias or name) and why."""

    job_code: str = attrs.field(validator=_soc_code)
    title: str = attrs.field(validator=_not_blank)
    score: float = attrs.field(validator=_unit_interval)
    reason: str = attrs.field(validator=_not_blank)


def _descending(
    _instance: object,
    attribute: attrs.Attribute[tuple[Candidate, ...]],
    value: tuple[Candidate, ...],
) -> None:
    scores = [candidate.score for candidate in value]
    if scores != sorted(scores, reverse=True):
        raise ValueError(f"{attribute.name} must be sorted by descending score")
    codes = [candidate.job_code for candidate in value]
    if len(set(codes)) != len(codes):
        raise ValueError(f"{attribute.name} must not repeat an occupation")


def _candidates(value: Iterable[Candidate]) -> tuple[Candidate, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class TitleMatch:
    """A title's ranked candidates, best first, and the level its words imply, if any."""

    title: str
    candidates: tuple[Candidate, ...] = attrs.field(converter=_candidates, validator=_descending)
    level: Level | None = None
    # The word of the title that set `level`, as it was typed (e.g. "Sr").
    level_word: str | None = None

    def __attrs_post_init__(self) -> None:
        if (self.level is None) != (self.level_word is None):
            raise ValueError("level and level_word must be given together")

    @property
    def best(self) -> Candidate | None:
        """The top candidate, or None when nothing matched."""
        return self.candidates[0] if self.candidates else None
