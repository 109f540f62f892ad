"""Answers of the pages: a template with the session's cookies, a redirect, an error page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from litestar import Request, Response
from litestar.contrib.jinja import JinjaTemplateEngine
from litestar.response import Redirect, Template
from litestar.template.config import TemplateConfig

from pricing_api.http.ratelimit import RateLimitExceeded, rate_limit_headers
from pricing_api.pages.session import clear_session, csrf_token, pending_cookies
from pricing_core.access.model import Principal
from pricing_core.access.roles import Permission
from pricing_core.errors import (
    Conflict,
    Forbidden,
    NotAuthenticated,
    NotFound,
    PricingError,
    TooManyAttempts,
)

__all__ = ["PAGE_ERRORS", "menu", "page_templates", "redirect", "respond"]

HERE = Path(__file__).parent
NO_STORE = {"Cache-Control": "no-store"}  # pages show salaries and forms carry tokens


def page_templates() -> TemplateConfig[JinjaTemplateEngine]:
    environment = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return TemplateConfig(instance=JinjaTemplateEngine.from_environment(environment))


def menu(principal: Principal | None) -> list[tuple[str, str]]:
    """The links a signed-in person's role lets them use (the same permissions the API asks)."""
    if principal is None:
        return []
    links = [
        ("/price", "Price a job", Permission.VIEW_JOB_PRICING),
        ("/requests", "Pricing requests", Permission.VIEW_JOB_PRICING),
        ("/market", "Market data", Permission.VIEW_EXTERNAL_DATA),
        ("/admin/users", "Users", Permission.MANAGE_USERS),
        ("/admin/audit", "Audit log", Permission.VIEW_SYSTEM_LOGS),
    ]
    return [(href, label) for href, label, need in links if principal.can(need)]


def respond(
    request: Request[Any, Any, Any],
    template: str,
    context: dict[str, Any],
    *,
    status_code: int = 200,
) -> Template:
    principal = getattr(request.state, "page_principal", None)
    full = {
        "csrf": csrf_token(request),
        "me": principal,
        "menu": menu(principal),
        "path": request.url.path,
        **context,
    }
    return Template(
        template_name=template,
        context=full,
        status_code=status_code,
        cookies=pending_cookies(request),
        headers=NO_STORE,
        media_type="text/html",
    )


def redirect(request: Request[Any, Any, Any], to: str) -> Redirect:
    """A 303 after a form: the browser then GETs `to`, so a reload re-sends nothing."""
    return Redirect(path=to, status_code=303, cookies=pending_cookies(request), headers=NO_STORE)


def _error(request: Request[Any, Any, Any], status: int, title: str, message: str) -> Template:
    return respond(request, "error.html", {"title": title, "message": message}, status_code=status)


def _signed_out(request: Request[Any, Any, Any], _: Exception) -> Response[Any]:
    clear_session(request)
    return redirect(request, "/")


def _forbidden(request: Request[Any, Any, Any], error: Exception) -> Response[Any]:
    if getattr(error, "code", "") == "password_change_required":
        # Signed in with a one-time password: the core allows nothing else until it is changed.
        return redirect(request, "/password?required=1")
    return _error(request, 403, "Not allowed", getattr(error, "message", str(error)))


def _not_found(request: Request[Any, Any, Any], error: Exception) -> Response[Any]:
    return _error(request, 404, "Not found", getattr(error, "message", str(error)))


def _conflict(request: Request[Any, Any, Any], error: Exception) -> Response[Any]:
    return _error(request, 409, "Not possible now", getattr(error, "message", str(error)))


def _too_many(request: Request[Any, Any, Any], error: Exception) -> Response[Any]:
    wait = getattr(error, "retry_after", 60)
    return _error(request, 429, "Too many attempts", f"Try again in {wait} seconds.")


def _rate_limited(request: Request[Any, Any, Any], error: Exception) -> Response[Any]:
    decision = getattr(error, "decision", None)
    headers = rate_limit_headers(decision) if decision is not None else {}
    answer = _error(request, 429, "Too many requests", "Wait a minute, then try again.")
    answer.headers.update(headers)
    return answer


def _other(request: Request[Any, Any, Any], error: Exception) -> Response[Any]:
    return _error(request, 400, "Something is wrong", getattr(error, "message", str(error)))


PAGE_ERRORS: dict[int | type[Exception], Any] = {
    NotAuthenticated: _signed_out,
    Forbidden: _forbidden,
    NotFound: _not_found,
    Conflict: _conflict,
    TooManyAttempts: _too_many,
    RateLimitExceeded: _rate_limited,
    PricingError: _other,
}
