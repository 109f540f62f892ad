"""The access stores on SQL, in one place for the composition root."""

from __future__ import annotations

from pricing_adapters.sql.accounts import SqlApiKeyStore, SqlUserStore
from pricing_adapters.sql.audit import SqlAuditLog
from pricing_adapters.sql.sessions import (
    REVOCATION_MARGIN,
    SqlRefreshTokenStore,
    SqlRevocationStore,
)

__all__ = [
    "REVOCATION_MARGIN",
    "SqlApiKeyStore",
    "SqlAuditLog",
    "SqlRefreshTokenStore",
    "SqlRevocationStore",
    "SqlUserStore",
]
