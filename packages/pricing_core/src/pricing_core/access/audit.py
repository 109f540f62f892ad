"""Writing and reading the audit log: request facts, escaping, and the two audit use cases."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

from pricing_core.access.model import AuditEvent, AuditQuery, Outcome, Principal
from pricing_core.access.ports import AuditLog
from pricing_core.access.roles import Permission
from pricing_core.errors import Forbidden, PasswordChangeRequired
from pricing_core.ports import Clock

__all__ = [
    "Auditor",
    "ReadAudit",
    "RecordDenied",
    "RequestInfo",
    "check_password_changed",
    "escape",
    "require",
]

MAX_TEXT = 512  # a user agent or an email longer than this is not worth keeping whole
_NAMED = {"\\": "\\\\", "\r": "\\r", "\n": "\\n", "\t": "\\t"}
# Line breaks beyond CR/LF that log viewers honour (NEL, LINE and PARAGRAPH SEPARATOR).
_BREAKS = {"\x85", "\u2028", "\u2029"}


def _escape_char(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    if ch in _BREAKS or ord(ch) < 0x20 or ord(ch) == 0x7F:
        return f"\\u{ord(ch):04x}"
    return ch


def escape(text: str) -> str:
    """Caller-supplied text made safe for one log line: no CR, LF or other control character.

    A backslash is doubled first, so an escaped row reads back unambiguously; long text is cut.
    """
    escaped = "".join(_escape_char(ch) for ch in text)
    return escaped if len(escaped) <= MAX_TEXT else escaped[: MAX_TEXT - 1] + "…"


def _clean(value: object) -> object:
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, Mapping):
        return {escape(str(k)): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_clean(v) for v in value]
    return value


@attrs.frozen(kw_only=True)
class RequestInfo:
    """Where a request came from, for its audit rows; every field is as the client sent it."""

    ip: str = ""
    user_agent: str = ""
    request_id: str = ""


@attrs.frozen(kw_only=True)
class Auditor:
    """Appends audit rows stamped with the clock and escaped; the one writer of the log.

    Callers pass ids, actions, reasons and at most a jti or a hash prefix: never a password,
    a raw token or a raw key.
    """

    log: AuditLog
    clock: Clock

    def record(
        self,
        action: str,
        outcome: Outcome,
        info: RequestInfo,
        *,
        actor: str | None = None,
        target_type: str = "",
        target_id: str = "",
        detail: Mapping[str, object] | None = None,
    ) -> AuditEvent:
        event = AuditEvent(
            at=self.clock.now(),
            action=action,
            outcome=outcome,
            actor=None if actor is None else escape(actor),
            target_type=target_type,
            target_id=escape(target_id),
            ip=escape(info.ip),
            user_agent=escape(info.user_agent),
            request_id=escape(info.request_id),
            detail={escape(k): _clean(v) for k, v in (detail or {}).items()},
        )
        self.log.append(event)
        return event


def check_password_changed(principal: Principal) -> None:
    """Refuse a caller who must change their one-time password first.

    Every authorisation goes through here (the app's guard for every route, `require` in
    every use case); only reading one's own account, changing the password and logging out
    are exempt, and the app's guard is told so by those routes alone.
    """
    if principal.password_change_required:
        raise PasswordChangeRequired()


def require(principal: Principal, permission: Permission) -> None:
    """Use cases check their permission again, so a route without a guard still refuses."""
    check_password_changed(principal)
    if not principal.can(permission):
        raise Forbidden(f"{permission} is required", permission=str(permission))


@attrs.frozen(kw_only=True)
class ReadAudit:
    """A page of audit events, newest first, for holders of VIEW_SYSTEM_LOGS."""

    log: AuditLog

    def __call__(self, principal: Principal, query: AuditQuery) -> tuple[Sequence[AuditEvent], int]:
        require(principal, Permission.VIEW_SYSTEM_LOGS)
        return self.log.query(query)


@attrs.frozen(kw_only=True)
class RecordDenied:
    """The app's permission guard refused a request: write the `authz_fail` row."""

    auditor: Auditor

    def __call__(
        self, principal: Principal, permission: Permission, route: str, info: RequestInfo
    ) -> None:
        self.auditor.record(
            "authz_fail",
            Outcome.DENIED,
            info,
            actor=principal.actor,
            target_type="route",
            target_id=route,
            detail={"permission": str(permission), "role": str(principal.role)},
        )
