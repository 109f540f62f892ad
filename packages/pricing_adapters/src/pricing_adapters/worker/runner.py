"""`pricing worker` and `pricing-worker`: Dramatiq's own process manager over our actors."""

from __future__ import annotations

from dramatiq.cli import main, make_argument_parser

from pricing_adapters.settings import Settings
from pricing_adapters.worker.broker import QUEUE

__all__ = ["WORKER_MODULE", "NoBroker", "run_worker"]

WORKER_MODULE = "pricing_adapters.worker.process"


class NoBroker(ValueError):
    """There is nothing to consume: without PRICING_BROKER_URL jobs run inside the API."""


def run_worker(settings: Settings, *, processes: int, threads: int) -> int:
    """Run worker processes until stopped (SIGINT or SIGTERM); their exit code.

    Dramatiq's command line forks `processes` processes that each import WORKER_MODULE and
    run `threads` threads, restarts none, and stops them all on a signal; a message being
    run when a process is killed is delivered again (Redis: by the broker's heartbeat
    check; RabbitMQ: when the channel closes) and the reconciler fails its job.
    """
    if not settings.broker_url:
        raise NoBroker(
            "PRICING_BROKER_URL is not set: jobs run in the API process (`pricing serve`)"
        )
    arguments = [WORKER_MODULE, "--processes", str(processes), "--threads", str(threads)]
    parser = make_argument_parser()  # type: ignore[no-untyped-call]  # untyped upstream
    code: int = main(parser.parse_args([*arguments, "--queues", QUEUE]))  # type: ignore[no-untyped-call]  # untyped upstream
    return code
