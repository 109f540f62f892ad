"""The access use cases in one place, for the composition root and the apps."""

from __future__ import annotations

from pricing_core.access.accounts import (
    AccountFactory,
    CreateUser,
    GetUser,
    ListUsers,
    Register,
    RegistrationPolicy,
    UpdateProfile,
)
from pricing_core.access.audit import Auditor, ReadAudit, RecordDenied, RequestInfo
from pricing_core.access.authenticate import API_KEY_PREFIX, Authenticate
from pricing_core.access.changes import (
    ChangePassword,
    ChangeRole,
    DeactivateUser,
    ReactivateUser,
    ResetPassword,
)
from pricing_core.access.keys import CreateApiKey, ListApiKeys, RevokeApiKey
from pricing_core.access.login import Login, Logout
from pricing_core.access.refresh import Refresh
from pricing_core.access.sessions import Sessions

__all__ = [
    "API_KEY_PREFIX",
    "AccountFactory",
    "Auditor",
    "Authenticate",
    "ChangePassword",
    "ChangeRole",
    "CreateApiKey",
    "CreateUser",
    "DeactivateUser",
    "GetUser",
    "ListApiKeys",
    "ListUsers",
    "Login",
    "Logout",
    "ReactivateUser",
    "ReadAudit",
    "RecordDenied",
    "Refresh",
    "Register",
    "RegistrationPolicy",
    "RequestInfo",
    "ResetPassword",
    "RevokeApiKey",
    "Sessions",
    "UpdateProfile",
]
