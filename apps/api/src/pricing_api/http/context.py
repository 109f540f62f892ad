"""Per-request values handlers receive: the caller and where the request came from."""

from __future__ import annotations

from typing import Any

from litestar import Request

from pricing_api.http.security import request_info
from pricing_core.access.audit import RequestInfo
from pricing_core.access.model import Principal
from pricing_core.errors import NotAuthenticated

__all__ = ["principal_of", "request_context"]


def principal_of(request: Request[Any, Any, Any]) -> Principal:
    """The caller the guard authenticated; a public route has none."""
    principal = getattr(request.state, "principal", None)
    if principal is None:
        raise NotAuthenticated()
    found: Principal = principal
    return found


def request_context(request: Request[Any, Any, Any]) -> RequestInfo:
    info = request_info(request)
    return RequestInfo(ip=info["ip"], user_agent=info["user_agent"], request_id=info["request_id"])
