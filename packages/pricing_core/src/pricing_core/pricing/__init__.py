"""The pricing rule book: cut resolution, aging, composite, target, range and confidence."""

__all__: list[str] = []
