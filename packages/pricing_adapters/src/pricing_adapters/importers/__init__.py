"""Market data importers: each streams a file into rows and records every bad value."""

__all__: list[str] = []
