"""The system actors: who the audit log names when no user signed in made a change."""

from __future__ import annotations

from pricing_core.access.model import Principal
from pricing_core.access.roles import Role

__all__ = ["CLI_PRINCIPAL", "SYSTEM_CLI"]

SYSTEM_CLI = "system:cli"
# Whoever can run the command line on the server can read its database: an ADMIN.
CLI_PRINCIPAL = Principal(role=Role.ADMIN, user_id=SYSTEM_CLI)
