"""Finding an area by its code or by (part of) its name."""

from __future__ import annotations

import re

from pricing_core.errors import UnknownArea
from pricing_core.market.model import Area
from pricing_core.market.ports import MarketReader

__all__ = ["resolve_area", "search_areas"]

_WORD = re.compile(r"[a-z0-9]+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def search_areas(market: MarketReader, text: str, limit: int = 20) -> list[Area]:
    """Areas whose code is `text`, or whose name holds every word of `text`; exact names first."""
    wanted = _words(text)
    if not wanted:
        return []
    exact = market.area(text.strip())
    found: list[tuple[int, str, Area]] = []
    for area in market.areas():
        if exact is not None and area.code == exact.code:
            continue
        words = _words(area.name)
        if all(any(w.startswith(term) for w in words) for term in wanted):
            rank = 0 if words == wanted else 1
            found.append((rank, area.name, area))
    found.sort(key=lambda item: (item[0], item[1]))
    head = [exact] if exact is not None else []
    return (head + [area for _, _, area in found])[:limit]


def resolve_area(market: MarketReader, text: str) -> Area:
    """The one area a code or name means; several or none raise UnknownArea."""
    by_code = market.area(text.strip())
    if by_code is not None:
        return by_code
    candidates = search_areas(market, text, limit=50)
    exact = [a for a in candidates if _words(a.name) == _words(text)]
    if len(exact) == 1:
        return exact[0]
    if len(candidates) == 1:
        return candidates[0]
    raise UnknownArea(text, [(a.code, a.name) for a in candidates])
