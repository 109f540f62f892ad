"""The REST API: a thin Litestar shell over the container's use cases."""

__all__: list[str] = []
