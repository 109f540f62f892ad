"""The background worker (Dramatiq): a stub until the worker issue."""

__all__: list[str] = []
