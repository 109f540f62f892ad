"""The background worker (Dramatiq): `pricing-worker` or `python -m pricing_worker`.

The actors, the broker and the process manager live in `pricing_adapters.worker`, so the
`pricing worker` command of the API's command line starts the same thing without
importing this package (the apps do not import each other).
"""

__all__: list[str] = []
