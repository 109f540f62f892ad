"""Every controller of the API, in one list."""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

from pricing_api.http.api_keys import ApiKeysController
from pricing_api.http.audit_logs import AuditLogsController
from pricing_api.http.auth import AuthController
from pricing_api.http.users import UsersController

__all__ = ["ROUTES"]

ROUTES: list[ControllerRouterHandler] = [
    AuthController,
    UsersController,
    ApiKeysController,
    AuditLogsController,
]
