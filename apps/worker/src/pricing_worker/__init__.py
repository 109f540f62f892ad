"""The background worker (Dramatiq). It defines no actors.

Its broker, when it has one, gets `pricing_adapters.dramatiq_observing.observe_jobs`
(request ids, job metrics).
"""

__all__: list[str] = []
