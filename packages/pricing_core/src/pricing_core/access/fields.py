"""Checks for the plain values the access use cases take: emails, names, roles, pages."""

from __future__ import annotations

import unicodedata

from pricing_core.access.model import normalise_email
from pricing_core.access.roles import ROLE_ORDER, Role
from pricing_core.errors import InvalidRequest

__all__ = [
    "MAX_EMAIL",
    "MAX_NAME",
    "check_email",
    "check_name",
    "check_page",
    "check_role",
    "email_domain",
]

MAX_EMAIL = 254  # RFC 5321's limit on a forward path, less the angle brackets
MAX_NAME = 200
MAX_PAGE = 200


def _has_control(text: str) -> bool:
    return any(unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"} for ch in text)


def check_email(email: str) -> str:
    """The normalised email; a deliberately loose shape check (delivery is the real test)."""
    value = normalise_email(email)
    local, at, domain = value.rpartition("@")
    if (
        not at
        or not local
        or "." not in domain.strip(".")
        or len(value) > MAX_EMAIL
        or any(ch.isspace() for ch in value)
        or _has_control(value)
    ):
        raise InvalidRequest("email", "must be an email address such as name@example.com")
    return value


def email_domain(email: str) -> str:
    return email.rpartition("@")[2]


def check_name(name: str, *, field: str = "name", required: bool = False) -> str:
    """A display name: trimmed, one line, at most MAX_NAME characters."""
    value = name.strip()
    if required and not value:
        raise InvalidRequest(field, "must not be empty")
    if len(value) > MAX_NAME:
        raise InvalidRequest(field, f"must be at most {MAX_NAME} characters")
    if _has_control(value):
        raise InvalidRequest(field, "must not contain control characters or line breaks")
    return value


def check_role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        names = ", ".join(ROLE_ORDER)
        raise InvalidRequest("role", f"must be one of {names}", role) from None


def check_page(offset: int, limit: int) -> None:
    if offset < 0:
        raise InvalidRequest("offset", "must not be negative", offset)
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidRequest("limit", f"must be between 1 and {MAX_PAGE}", limit)
