"""Reading a posted form: its CSRF check, its text fields, and field errors for the page."""

from __future__ import annotations

from typing import Any

from litestar import Request

from pricing_api.pages.session import CSRF_FIELD, check_csrf
from pricing_core.errors import InvalidRequest, PercentileUnavailable, PricingError, UnknownArea

__all__ = ["Form", "field_errors", "read_form"]


class Form(dict[str, str]):
    """A posted form's text fields (the last value of each; files are read separately)."""

    def text(self, name: str) -> str:
        return self.get(name, "").strip()

    def optional(self, name: str) -> str | None:
        return self.text(name) or None


async def read_form(request: Request[Any, Any, Any]) -> tuple[Form, Any]:
    """The text fields and the raw form (for uploads), after the CSRF check."""
    raw = await request.form()
    check_csrf(request, raw.get(CSRF_FIELD))
    fields = Form({k: v for k, v in raw.items() if isinstance(v, str)})
    return fields, raw


def field_errors(error: PricingError, known: set[str]) -> dict[str, str]:
    """Which field a domain error is about, in words; `_form` when it names none we show."""
    if isinstance(error, UnknownArea):
        return {"area": error.message}
    if isinstance(error, PercentileUnavailable):
        return {"percentile": error.message}
    if isinstance(error, InvalidRequest):
        parts = error.field.split("[")[0].split(".")
        names = [{"pricing_date": "date", "matches": "title"}.get(p, p) for p in parts]
        key = next((name for name in reversed(names) if name in known), "_form")
        return {key: f"{error.field}: {error.problem}" if key == "_form" else error.problem}
    return {"_form": error.message}
