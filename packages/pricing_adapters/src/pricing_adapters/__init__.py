"""Adapters behind the pricing core's ports, the settings and the composition root."""

__all__: list[str] = []
