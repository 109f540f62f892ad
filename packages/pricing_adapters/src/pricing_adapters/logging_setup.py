"""Structured logs (structlog over the standard library) and the request id every line carries.

The product logs through `logging`; structlog renders every record, the product's and the
libraries', as one JSON object per line (`PRICING_LOG_FORMAT=json`, or in production) or
readable key=value text. The request being served lives in a context variable (`REQUEST`)
that log lines, error reports and background jobs read.
"""

from __future__ import annotations

import logging
import re
import sys
import uuid
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import attrs
import structlog

from pricing_adapters.settings import Settings

__all__ = [
    "FILTERED",
    "REQUEST",
    "SENSITIVE_KEY",
    "RequestScope",
    "configure_logging",
    "current_request_id",
    "request_id_from",
    "request_scope",
    "uses_json",
]

FILTERED = "[Filtered]"
# Keys whose values are secrets wherever they appear: log fields, bodies, headers, variables.
SENSITIVE_KEY = re.compile(
    r"pass(?:word|wd|phrase)?|secret|token|api[-_]?key|authori[sz]ation|cookie|credential"
    r"|private[-_]?key|signature|jwt|dsn",
    re.IGNORECASE,
)
_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
_MARK = "_pricing_handler"


def _none() -> str | None:
    return None


def _no_secrets() -> Iterable[str]:
    return ()


@attrs.define
class RequestScope:
    """The request (or job) being served: its id, and how to learn the caller once known.

    `user_id` and `secrets` are read when a line is logged or an error reported, so the id
    the permission guard finds later in the request is there too.
    """

    request_id: str
    user_id: Callable[[], str | None] = _none
    # Secret values the request carried (tokens, passwords): removed from error reports.
    secrets: Callable[[], Iterable[str]] = _no_secrets


REQUEST: ContextVar[RequestScope | None] = ContextVar("pricing_request", default=None)


def request_id_from(header: str | None) -> str:
    """The caller's X-Request-ID when well formed (≤ 128 safe characters), else a new one."""
    if header and _REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def current_request_id() -> str | None:
    scope = REQUEST.get()
    return None if scope is None else scope.request_id


@contextmanager
def request_scope(request_id: str | None = None, **known: Any) -> Iterator[RequestScope]:
    """Serve one request or job under `request_id` (a new one if None), restoring after."""
    scope = RequestScope(request_id=request_id_from(request_id), **known)
    token = REQUEST.set(scope)
    try:
        yield scope
    finally:
        REQUEST.reset(token)


def _add_request(_: Any, __: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    scope = REQUEST.get()
    if scope is not None:
        event.setdefault("request_id", scope.request_id)
        user_id = scope.user_id()
        if user_id is not None:
            event.setdefault("user_id", user_id)
    return event


def _drop_formatted(_: Any, __: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    # Another handler may have formatted the record first: not extras of the caller's.
    event.pop("message", None)
    event.pop("asctime", None)
    return event


def _redact(_: Any, __: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    for key in list(event):
        if key != "event" and SENSITIVE_KEY.search(key):
            event[key] = FILTERED
    return event


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]  # generic in stubs only
    """Writes to whatever `sys.stderr` is now (test runners swap it), not the one at setup."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _: Any) -> None:
        pass


def uses_json(settings: Settings) -> bool:
    if settings.log_format == "auto":
        return settings.environment == "production"
    return settings.log_format == "json"


def configure_logging(settings: Settings) -> None:
    """Route every log record through structlog's renderer on stderr; idempotent."""
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.add_log_level,
        structlog.stdlib.ExtraAdder(),
        _drop_formatted,
        _add_request,
        _redact,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    renderer: list[Any] = (
        [structlog.processors.format_exc_info, structlog.processors.JSONRenderer()]
        if uses_json(settings)
        else [
            # Plain tracebacks: rich's, with every frame's local variables, took over a minute
            # to render one 500 and would print secrets held in locals.
            structlog.dev.ConsoleRenderer(
                colors=sys.stderr.isatty(), exception_formatter=structlog.dev.plain_traceback
            )
        ]
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *renderer],
    )
    handler = _StderrHandler()
    handler.setFormatter(formatter)
    setattr(handler, _MARK, True)
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, _MARK, False)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(settings.log_level)


# Quiet until an application configures logging: a command-line run prints no log lines.
logging.getLogger("pricing_adapters").addHandler(logging.NullHandler())
