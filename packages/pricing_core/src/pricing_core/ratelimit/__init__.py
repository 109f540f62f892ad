"""Rate limits: who may make how many requests over which window, and what happens when the
shared counter store is down."""

__all__: list[str] = []
