"""Signing in and out, and changing one's password (forced after a one-time password).

Each calls the access use cases the API calls (Login, Logout, ChangePassword), so lockout,
rate limits on failures and the audit rows are the same; a wrong email or password gets one
message whatever the cause, as in the API.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template

from pricing_api.http.auth import off_loop, password_work
from pricing_api.http.context import request_context
from pricing_api.http.ratelimit import RATE_LIMIT_EXEMPT
from pricing_api.http.schemas import Services
from pricing_api.http.security import PUBLIC
from pricing_api.pages.forms import field_errors, read_form
from pricing_api.pages.render import redirect, respond
from pricing_api.pages.session import clear_session, signed_in, start_session
from pricing_core.errors import InvalidRequest, NotAuthenticated

__all__ = ["SIGNIN_ROUTES"]

# The app guard lets pages through; their own guard authenticates the cookie and counts the
# request (pages.page_routes), and each handler asks session.signed_in for the person.
PAGE = {**PUBLIC, **RATE_LIMIT_EXEMPT, "page": True}
HOME = "/price"


@get("/", opt=PAGE, include_in_schema=False)
async def sign_in_page(request: Request[Any, Any, Any], services: Services) -> Any:
    try:
        await signed_in(request, services)
    except NotAuthenticated:
        return respond(request, "signin.html", {"errors": {}, "email": ""})
    return redirect(request, HOME)


@post("/", opt=PAGE, include_in_schema=False)
async def sign_in(request: Request[Any, Any, Any], services: Services) -> Template | Redirect:
    form, _ = await read_form(request)
    email = form.text("email")
    try:
        pair = await password_work(
            services.access.login, email, form.get("password", ""), request_context(request)
        )
    except NotAuthenticated as error:
        errors = {"_form": f"{error.message}: check your email and password."}
        return respond(request, "signin.html", {"errors": errors, "email": email}, status_code=401)
    except InvalidRequest as error:
        errors = field_errors(error, {"email", "password"})
        return respond(request, "signin.html", {"errors": errors, "email": email}, status_code=400)
    start_session(request, pair)
    # A one-time password must be replaced before anything else (when the core says so).
    must_change = bool(getattr(pair, "password_change_required", False))
    return redirect(request, "/password?required=1" if must_change else HOME)


@post("/signout", opt=PAGE, include_in_schema=False)
async def sign_out(request: Request[Any, Any, Any], services: Services) -> Redirect:
    await read_form(request)
    try:
        principal = await signed_in(request, services)
        await off_loop(services.access.logout, principal, request_context(request))
    except NotAuthenticated:
        pass  # already signed out: forget the cookies all the same
    clear_session(request)
    return redirect(request, "/")


@get("/password", opt=PAGE, include_in_schema=False)
async def password_page(
    request: Request[Any, Any, Any], services: Services, required: bool = False
) -> Template:
    await signed_in(request, services)
    return respond(request, "password.html", {"errors": {}, "required": required, "done": False})


@post("/password", opt=PAGE, include_in_schema=False)
async def change_password(request: Request[Any, Any, Any], services: Services) -> Template:
    principal = await signed_in(request, services)
    form, _ = await read_form(request)
    errors: dict[str, str] = {}
    if form.get("new_password", "") != form.get("repeat_password", ""):
        errors["repeat_password"] = "the two new passwords differ"  # noqa: S105 - a message
    else:
        try:
            pair = await password_work(
                services.access.change_password,
                principal,
                form.get("current_password", ""),
                form.get("new_password", ""),
                request_context(request),
            )
            start_session(request, pair)
        except InvalidRequest as error:
            errors = field_errors(error, {"current_password", "new_password"})
        except NotAuthenticated:
            errors = {"current_password": "this is not your current password"}
    status = 400 if errors else 200
    context = {"errors": errors, "required": False, "done": not errors}
    return respond(request, "password.html", context, status_code=status)


SIGNIN_ROUTES = [sign_in_page, sign_in, sign_out, password_page, change_password]
