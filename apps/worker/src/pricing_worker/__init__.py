"""The background worker (Dramatiq): a stub until the worker issue.

Its broker gets `pricing_adapters.dramatiq_observing.observe_jobs` (request ids, job metrics).
"""

__all__: list[str] = []
