"""Market data: sources, versions, areas, cuts and their percentiles."""

__all__: list[str] = []
