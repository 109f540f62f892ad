"""The REST API (Litestar) and the `pricing` command line: a thin shell over the core."""

__all__: list[str] = []
