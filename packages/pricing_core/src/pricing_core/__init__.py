"""The job pricing engine's pure domain: rules, values and the ports they need."""

__all__: list[str] = []
