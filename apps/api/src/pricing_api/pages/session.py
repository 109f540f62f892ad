"""The pages' session: the product's own tokens in HttpOnly cookies, and a CSRF token.

The access token and the refresh token sit in cookies the browser sends back but scripts
cannot read (HttpOnly, SameSite=Lax, Secure behind TLS). Each page authenticates the access
token with the same use case as the API's bearer tokens and, once it has expired, spends the
refresh token for a new pair (Refresh), so revocation, logout and expiry behave as in the
API. Forms carry a double-submit CSRF token: a random value in its own cookie that every POST
must repeat in the `_csrf` field.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any

import anyio.to_thread
from litestar import Request
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie

from pricing_adapters.bootstrap import Container
from pricing_api.http.security import request_info
from pricing_core.access.audit import RequestInfo
from pricing_core.access.model import Principal, TokenPair
from pricing_core.errors import Forbidden, NotAuthenticated

__all__ = [
    "ACCESS_COOKIE",
    "CSRF_FIELD",
    "check_csrf",
    "clear_session",
    "csrf_token",
    "pending_cookies",
    "signed_in",
    "start_session",
]

ACCESS_COOKIE = "pricing_access"
REFRESH_COOKIE = "pricing_refresh"
CSRF_COOKIE = "pricing_csrf"
CSRF_FIELD = "_csrf"
_PENDING = "page_cookies"
Connection = ASGIConnection[Any, Any, Any, Any]
_REFRESH_AGE = 30 * 24 * 3600  # the browser may drop it sooner; the server decides validity


def _secure(request: Connection) -> bool:
    forwarded = request.headers.get("x-forwarded-proto", "")
    return request.url.scheme == "https" or forwarded.lower() == "https"


def _cookie(request: Connection, key: str, value: str, max_age: int | None) -> Cookie:
    return Cookie(
        key=key,
        value=value,
        path="/",
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
    )


def _pend(request: Connection, cookie: Cookie) -> None:
    pending: dict[str, Cookie] = getattr(request.state, _PENDING, None) or {}
    pending[cookie.key] = cookie
    setattr(request.state, _PENDING, pending)


def pending_cookies(request: Connection) -> list[Cookie]:
    """Cookies this request set or cleared, for the response (see render.respond)."""
    pending: dict[str, Cookie] = getattr(request.state, _PENDING, None) or {}
    return list(pending.values())


def start_session(request: Connection, pair: TokenPair) -> None:
    _pend(request, _cookie(request, ACCESS_COOKIE, pair.access_token, None))
    _pend(request, _cookie(request, REFRESH_COOKIE, pair.refresh_token, _REFRESH_AGE))
    request.state.page_access = pair.access_token


def clear_session(request: Connection) -> None:
    for key in (ACCESS_COOKIE, REFRESH_COOKIE):
        _pend(request, _cookie(request, key, "", 0))


def csrf_token(request: Request[Any, Any, Any]) -> str:
    """This browser's CSRF token; a new one is set when it has none."""
    token = getattr(request.state, "page_csrf", None) or request.cookies.get(CSRF_COOKIE)
    if not token:
        token = secrets.token_urlsafe(32)
        _pend(request, _cookie(request, CSRF_COOKIE, token, None))
    request.state.page_csrf = token
    return str(token)


def check_csrf(request: Request[Any, Any, Any], sent: object) -> None:
    """A POST must repeat the CSRF cookie in its `_csrf` field: another site can send the
    cookie along (not with SameSite=Lax, but older browsers) but cannot read it."""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    if not (cookie and isinstance(sent, str) and hmac.compare_digest(cookie, sent)):
        raise Forbidden("this form has expired or did not come from this site: reload the page")


def _authenticate(services: Container, token: str, request: Connection) -> Principal:
    return services.access.authenticate(token, _info(request))


def _info(connection: Connection) -> RequestInfo:
    info = request_info(connection)
    return RequestInfo(ip=info["ip"], user_agent=info["user_agent"], request_id=info["request_id"])


async def signed_in(request: Connection, services: Container) -> Principal:
    """The signed-in person, refreshing an expired access token; NotAuthenticated if none.

    The pages' guard calls it first (pages.page_routes), so each request authenticates once.
    """
    if getattr(request.state, "page_checked", False):
        cached: Principal | None = getattr(request.state, "page_principal", None)
        if cached is None:
            raise NotAuthenticated()
        return cached
    request.state.page_checked = True
    token = request.cookies.get(ACCESS_COOKIE, "")
    principal: Principal | None = None
    if token:
        try:
            principal = await anyio.to_thread.run_sync(_authenticate, services, token, request)
        except NotAuthenticated:
            principal = None
    if principal is None:
        refresh = request.cookies.get(REFRESH_COOKIE, "")
        if not refresh:
            raise NotAuthenticated()
        info = _info(request)
        pair = await anyio.to_thread.run_sync(services.access.refresh, refresh, info)
        start_session(request, pair)
        principal = await anyio.to_thread.run_sync(
            _authenticate, services, pair.access_token, request
        )
    if principal.user_id is None:  # the cookies hold a person's tokens, never an API key
        raise NotAuthenticated()
    request.state.page_principal = principal
    return principal
