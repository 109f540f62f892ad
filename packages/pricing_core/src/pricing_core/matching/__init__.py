"""Job title matching: a free-text title to ranked occupations and the level it implies."""

from pricing_core.matching.model import Alias, Candidate, Occupation, TitleMatch
from pricing_core.matching.service import TitleMatcher

__all__ = ["Alias", "Candidate", "Occupation", "TitleMatch", "TitleMatcher"]
