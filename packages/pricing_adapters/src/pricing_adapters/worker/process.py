"""What `dramatiq` imports in each worker process: the order matters.

Settings, then logging and Sentry (its Dramatiq integration hooks brokers as they are made),
then the container (which makes the broker and declares one actor per job kind), then the
database is brought to the current schema. Each process also runs the scheduler thread
(schedules and the reconciler) while its worker runs.
"""

from __future__ import annotations

import logging
from importlib.metadata import version

import dramatiq
from dramatiq.broker import Broker
from dramatiq.worker import Worker
from sentry_sdk.integrations.dramatiq import DramatiqIntegration

from pricing_adapters.bootstrap import build_container
from pricing_adapters.prepare import prepare
from pricing_adapters.process import start_process
from pricing_adapters.settings import Settings
from pricing_adapters.worker.scheduler import Scheduler

__all__ = ["broker"]


class Scheduling(dramatiq.Middleware):
    """Runs the scheduler beside the worker's threads, and stops it with them."""

    def __init__(self, scheduler: Scheduler) -> None:
        self._scheduler = scheduler

    def after_worker_boot(self, broker: Broker, worker: Worker) -> None:
        self._scheduler.start()

    def before_worker_shutdown(self, broker: Broker, worker: Worker) -> None:
        self._scheduler.stop()


def _boot() -> Broker:
    settings = Settings.from_env()
    # Dramatiq gave the process a handler of its own: every line would show twice, once in
    # its plain format, once in ours (JSON in production, with the job's request id).
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    container = build_container(settings)
    # Logs, error reports (with Dramatiq's integration) and the statement figures' flusher.
    start_process(
        settings,
        timing=container.timing,
        release=f"job-pricing@{version('pricing-adapters')}",
        integrations=[DramatiqIntegration()],
    )
    found = container.jobs.broker
    if found is None:
        raise SystemExit("PRICING_BROKER_URL is not set: without a broker, jobs run in the API")
    prepare(container)
    found.add_middleware(Scheduling(container.jobs.scheduler()))
    dramatiq.set_broker(found)
    return found


broker = _boot()
