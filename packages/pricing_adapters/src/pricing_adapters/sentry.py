"""Error reporting to Sentry, with secrets removed from every event before it leaves."""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterable, Sequence
from typing import Any

import sentry_sdk
from sentry_sdk.integrations import Integration
from sentry_sdk.integrations.logging import LoggingIntegration
from sentry_sdk.integrations.redis import RedisIntegration
from sentry_sdk.integrations.sqlalchemy import SqlalchemyIntegration
from sentry_sdk.scrubber import DEFAULT_DENYLIST, DEFAULT_PII_DENYLIST, EventScrubber
from sentry_sdk.transport import Transport

from pricing_adapters.logging_setup import FILTERED, REQUEST, SENSITIVE_KEY
from pricing_adapters.settings import Settings

__all__ = ["DENYLIST", "init_sentry", "is_reporting", "scrub_event", "secret_values"]

# Sentry's own scrubber (exact key names) runs first; `scrub_event` then catches the rest.
DENYLIST = [
    *DEFAULT_DENYLIST,
    *DEFAULT_PII_DENYLIST,
    "refresh_token",
    "access_token",
    "id_token",
    "current_password",
    "new_password",
    "password_hash",
    "token_hash",
    "key_hash",
    "x-api-key",
    "api-key",
    "jwt_keys",
    "dsn",
    "email",
]
MIN_SECRET = 4  # shorter strings are too common to blank out everywhere they occur
_QUOTED = re.compile(rf"((?:{SENSITIVE_KEY.pattern})[\w-]*['\"]?\s*[:=]\s*)(['\"])(.*?)\2", re.I)
_BARE = re.compile(rf"((?:{SENSITIVE_KEY.pattern})[\w-]*\s*[:=]\s*)([^\s'\",&;)}}\]]+)", re.I)
_PATTERNS = (
    (re.compile(r"\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+", re.I), r"\1 " + FILTERED),
    (re.compile(r"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*"), FILTERED),
    (re.compile(r"\$argon2\w*\$[^\s'\"]+"), FILTERED),
    # Email addresses, wherever a frame's variables or a message carry them: users are named
    # by id alone. A release (`job-pricing@0.1.0`) ends in no letters and is kept. The
    # lookbehind starts a match only where a run of address characters starts: linear time.
    (
        re.compile(r"(?<![\w.%+-])[\w.%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b"),
        FILTERED,
    ),
)
log = logging.getLogger("pricing_adapters.sentry")


def _collect(value: Any, found: set[str], under_secret: bool = False) -> None:
    """Every string stored under a sensitive key, anywhere in `value`."""
    if isinstance(value, dict):
        for key, item in value.items():
            _collect(item, found, under_secret or bool(SENSITIVE_KEY.search(str(key))))
    elif isinstance(value, list | tuple):
        for item in value:
            _collect(item, found, under_secret)
    elif under_secret and isinstance(value, str) and value != FILTERED:
        found.add(value)
        if len(value) > 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]  # a local variable, as Sentry shows it: its repr
            found.add(value)
        scheme, _, rest = value.partition(" ")
        if rest and scheme.isalpha():
            found.add(rest.strip())


def secret_values(value: Any) -> set[str]:
    """The strings under sensitive keys in a decoded body (or any nested structure)."""
    found: set[str] = set()
    _collect(value, found)
    return found


def is_reporting() -> bool:
    """Whether error reports are being sent (Sentry initialised with a DSN)."""
    return sentry_sdk.get_client().is_active()


def _clean_text(text: str, secrets: Sequence[str]) -> str:
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, FILTERED)
    text = _QUOTED.sub(lambda m: f"{m[1]}{m[2]}{FILTERED}{m[2]}", text)
    text = _BARE.sub(lambda m: m[1] + FILTERED, text)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def _clean(value: Any, secrets: Sequence[str]) -> Any:
    if isinstance(value, dict):
        return {
            key: FILTERED
            if SENSITIVE_KEY.search(str(key)) and isinstance(item, str | bytes)
            else _clean(item, secrets)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [_clean(item, secrets) for item in value]
    if isinstance(value, str):
        return _clean_text(value, secrets)
    return value


def scrub_event(event: Any, _hint: Any = None) -> Any:
    """`before_send`: blank every secret, wherever it sits; the user by id only; request id.

    Secrets are found three ways: values the current request carried in sensitive fields,
    values under sensitive keys in the event, and their shapes (bearer tokens, JWTs, argon2
    hashes, `password=...`, email addresses). Each one found is removed from every string
    of the event: messages, local variables, breadcrumbs, bodies and headers.
    """
    scope = REQUEST.get()
    found: set[str] = set()
    if scope is not None:
        # Should reading the request fail, the event's own secrets are still found below.
        with contextlib.suppress(Exception):
            found.update(s for s in scope.secrets() if isinstance(s, str))
    _collect(event, found)
    secrets = sorted((s for s in found if len(s) >= MIN_SECRET), key=len, reverse=True)
    cleaned: dict[str, Any] = _clean(event, secrets)
    cleaned.pop("user", None)  # never an email, a name or an address: the id alone, below
    if scope is not None:
        cleaned.setdefault("tags", {})["request_id"] = scope.request_id
        user_id = scope.user_id()
        if user_id is not None:
            cleaned["user"] = {"id": user_id}
    return cleaned


def init_sentry(
    settings: Settings,
    *,
    release: str,
    integrations: Iterable[Integration] = (),
    transport: Transport | None = None,
) -> bool:
    """Start reporting errors when PRICING_SENTRY_DSN is set; returns whether it did.

    `integrations` adds the framework's (the API passes Litestar's); `transport` replaces
    the network (tests capture events in memory).
    """
    if not settings.sentry_dsn:
        return False
    sentry_sdk.init(
        dsn=settings.sentry_dsn,
        environment=settings.environment,
        release=release,
        traces_sample_rate=settings.sentry_traces_sample_rate,
        include_local_variables=True,
        event_scrubber=EventScrubber(denylist=DENYLIST, recursive=True),
        before_send=scrub_event,
        before_send_transaction=scrub_event,
        auto_enabling_integrations=False,
        integrations=[
            LoggingIntegration(level=logging.INFO, event_level=logging.ERROR),
            SqlalchemyIntegration(),
            RedisIntegration(),
            *integrations,
        ],
        transport=transport,
    )
    log.info("error reporting to Sentry started", extra={"environment": settings.environment})
    return True
