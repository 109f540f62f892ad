"""The Dramatiq broker from PRICING_BROKER_URL, observed, and one actor per job kind."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

import dramatiq
from dramatiq.broker import Broker, MessageProxy
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.brokers.redis import RedisBroker

from pricing_adapters.dramatiq_observing import observe_jobs
from pricing_adapters.worker.transient import should_retry
from pricing_core.ports import Metrics

__all__ = [
    "DEAD_LETTERED",
    "MAX_RETRIES",
    "QUEUE",
    "DeadLetters",
    "actor_name",
    "declare_actors",
    "make_broker",
    "ping_broker",
]

log = logging.getLogger(__name__)

QUEUE = "jobs"
DEAD_LETTERED = "dead_lettered"
MAX_RETRIES = 5
MIN_BACKOFF_MS = 1_000
MAX_BACKOFF_MS = 5 * 60_000
# Dramatiq interrupts an actor after 10 minutes by default: a market import or a large
# catalogue takes longer. The heartbeat, not a time limit, tells a live job from a dead one.
TIME_LIMIT_MS = 6 * 3600_000


class DeadLetters(dramatiq.Middleware):
    """Counts each message given up on (retries exhausted, or failed for good):
    `worker_tasks_total{status="dead_lettered"}`, which the JobPricingDeadLetters alert reads."""

    def __init__(self, metrics: Metrics) -> None:
        self._metrics = metrics

    def after_nack(self, broker: Broker, message: MessageProxy) -> None:
        self._metrics.task(message.actor_name, DEAD_LETTERED, 0.0)


def make_broker(url: str, metrics: Metrics) -> Broker:
    """RedisBroker for redis:// and rediss://, RabbitmqBroker (publisher confirms, so a
    message the server did not take raises instead of vanishing) for amqp:// and amqps://.
    Nothing connects until the first message is sent or consumed."""
    broker: Broker
    if url.lower().startswith(("amqp://", "amqps://")):
        broker = RabbitmqBroker(url=url, confirm_delivery=True)
    else:
        broker = RedisBroker(url=url)  # type: ignore[no-untyped-call]  # untyped upstream
    observe_jobs(broker, metrics)
    broker.add_middleware(DeadLetters(metrics))
    return broker


def actor_name(kind: str) -> str:
    """Actor names are identifiers: `market.refresh` runs as `job_market_refresh`."""
    return "job_" + "".join(c if c.isalnum() else "_" for c in kind)


def declare_actors(
    broker: Broker,
    kinds: list[str],
    run: Callable[[str], object],
    *,
    max_retries: int = MAX_RETRIES,
    min_backoff_ms: int = MIN_BACKOFF_MS,
) -> Mapping[str, dramatiq.Actor[Any, Any]]:
    """One actor per kind, so the job metrics are per kind; each takes a job id and runs it
    (RunJob: idempotent, a second delivery does nothing)."""

    def run_job(job_id: str) -> None:
        ended = run(job_id)
        # Under the job's request id (ObservedJobs), like the lines of the request that
        # started it; a delivery that found the job taken says so.
        status = getattr(ended, "status", "not run: already taken or finished")
        log.info("job %s: %s", job_id, status, extra={"job_id": job_id, "status": str(status)})

    return {
        kind: dramatiq.actor(
            broker=broker,
            actor_name=actor_name(kind),
            queue_name=QUEUE,
            retry_when=should_retry(max_retries),
            min_backoff=min_backoff_ms,
            max_backoff=MAX_BACKOFF_MS,
            time_limit=TIME_LIMIT_MS,
        )(run_job)
        for kind in kinds
    }


def ping_broker(url: str, timeout: float = 0.5) -> None:
    """Connect to the broker and leave; raises when it does not answer (GET /ready)."""
    if url.lower().startswith(("amqp://", "amqps://")):
        import pika  # type: ignore[import-untyped]  # ships no type hints

        parameters = pika.URLParameters(url)
        parameters.socket_timeout = timeout
        parameters.connection_attempts = 1
        pika.BlockingConnection(parameters).close()
        return
    import redis

    client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
    try:
        client.ping()
    finally:
        client.close()
