"""Which failures are transient: worth retrying after a pause, because a dependency may answer."""

from __future__ import annotations

from collections.abc import Callable

import dramatiq.errors
import redis
from sqlalchemy import exc as sql

from pricing_core.errors import ServiceUnavailable
from pricing_core.jobs.running import RetryLater

__all__ = ["is_transient", "should_retry"]

# A database or broker that did not answer, or dropped the connection: not the job's fault.
# A constraint violation or a bad statement (other SQLAlchemy errors) will fail again.
TRANSIENT = (
    ServiceUnavailable,
    sql.OperationalError,
    sql.InterfaceError,
    sql.DisconnectionError,
    sql.TimeoutError,
    redis.ConnectionError,
    redis.TimeoutError,
    dramatiq.errors.BrokerConnectionError,
    ConnectionError,
    TimeoutError,
)


def is_transient(error: BaseException) -> bool:
    return isinstance(error, TRANSIENT)


def should_retry(max_retries: int) -> Callable[[int, BaseException], bool]:
    """Dramatiq's `retry_when`: transient failures only, at most `max_retries` times."""

    def retry_when(retries: int, error: BaseException) -> bool:
        return retries < max_retries and (isinstance(error, RetryLater) or is_transient(error))

    return retry_when
