"""Every controller of the API, in one list."""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

from pricing_api.http.api_keys import ApiKeysController
from pricing_api.http.audit_logs import AuditLogsController
from pricing_api.http.auth import AuthController
from pricing_api.http.backups import BackupsController
from pricing_api.http.batches import BatchesController
from pricing_api.http.jobs import JobsController
from pricing_api.http.market import MarketController
from pricing_api.http.market_imports import MarketImportsController
from pricing_api.http.market_refresh import MarketRefreshController
from pricing_api.http.policy_settings import PricingPolicyController
from pricing_api.http.pricing_requests import PricingRequestsController
from pricing_api.http.quote import QuoteController
from pricing_api.http.ready import ready
from pricing_api.http.recommendations import RecommendationsController
from pricing_api.http.users import UsersController

__all__ = ["ROUTES"]

ROUTES: list[ControllerRouterHandler] = [
    AuthController,
    UsersController,
    ApiKeysController,
    AuditLogsController,
    QuoteController,
    MarketController,
    MarketImportsController,
    MarketRefreshController,
    ready,
    PricingRequestsController,
    RecommendationsController,
    PricingPolicyController,
    JobsController,
    BackupsController,
    BatchesController,
]
