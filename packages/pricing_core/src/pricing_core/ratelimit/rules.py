"""The sliding-window log, as pure arithmetic: the meaning every counter store implements."""

from __future__ import annotations

from collections.abc import Sequence

from pricing_core.ratelimit.model import Usage

__all__ = ["admit"]


def admit(
    hits: Sequence[float], now: float, limit: int, window: float
) -> tuple[Usage, tuple[float, ...]]:
    """One hit at `now` against earlier `hits` (instants, any order): the answer and the hits
    still inside the window afterwards (with this one when allowed).

    A hit counts while it is at most `window` seconds old, as in `limits`' moving window: the
    request is allowed when fewer than `limit` hits lie in `[now - window, now]`.
    """
    if limit < 1 or window <= 0:
        raise ValueError(f"limit and window must be positive, got {limit} and {window}")
    live = sorted(t for t in hits if now - window <= t <= now)
    allowed = len(live) < limit
    if allowed:
        live.append(now)
    oldest = live[0] if live else now
    usage = Usage(
        allowed=allowed,
        remaining=max(0, limit - len(live)),
        reset_in=min(float(window), max(0.0, oldest + window - now)),
    )
    return usage, tuple(live)
