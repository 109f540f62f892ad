"""The four roles and twenty permissions of access.md; each role holds all of the one below."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

__all__ = ["ROLE_ORDER", "ROLE_PERMISSIONS", "Permission", "Role"]


class Role(StrEnum):
    VIEWER = "VIEWER"
    HR_ANALYST = "HR_ANALYST"
    HR_MANAGER = "HR_MANAGER"
    ADMIN = "ADMIN"

    @property
    def rank(self) -> int:
        return ROLE_ORDER.index(self)

    def at_least(self, other: Role) -> bool:
        return self.rank >= other.rank


class Permission(StrEnum):
    VIEW_JOB_PRICING = "VIEW_JOB_PRICING"
    VIEW_SALARY_RECOMMENDATIONS = "VIEW_SALARY_RECOMMENDATIONS"
    VIEW_EXTERNAL_DATA = "VIEW_EXTERNAL_DATA"
    CREATE_JOB_PRICING = "CREATE_JOB_PRICING"
    UPDATE_JOB_PRICING = "UPDATE_JOB_PRICING"
    USE_AI_GENERATION = "USE_AI_GENERATION"
    VIEW_HRIS_DATA = "VIEW_HRIS_DATA"
    VIEW_APPLICANTS = "VIEW_APPLICANTS"
    APPROVE_SALARY_RECOMMENDATIONS = "APPROVE_SALARY_RECOMMENDATIONS"
    MANAGE_APPLICANTS = "MANAGE_APPLICANTS"
    DELETE_JOB_PRICING = "DELETE_JOB_PRICING"
    REFRESH_EXTERNAL_DATA = "REFRESH_EXTERNAL_DATA"
    MANAGE_HRIS_INTEGRATION = "MANAGE_HRIS_INTEGRATION"
    VIEW_SYSTEM_LOGS = "VIEW_SYSTEM_LOGS"
    MANAGE_USERS = "MANAGE_USERS"
    MANAGE_ROLES = "MANAGE_ROLES"
    MANAGE_SETTINGS = "MANAGE_SETTINGS"
    IMPORT_MARKET_DATA = "IMPORT_MARKET_DATA"
    MANAGE_API_KEYS = "MANAGE_API_KEYS"
    MANAGE_BACKUPS = "MANAGE_BACKUPS"


ROLE_ORDER: tuple[Role, ...] = (Role.VIEWER, Role.HR_ANALYST, Role.HR_MANAGER, Role.ADMIN)

# What each role adds to the one below it (access.md's table, read column by column).
_ADDED: dict[Role, tuple[Permission, ...]] = {
    Role.VIEWER: (
        Permission.VIEW_JOB_PRICING,
        Permission.VIEW_SALARY_RECOMMENDATIONS,
        Permission.VIEW_EXTERNAL_DATA,
    ),
    Role.HR_ANALYST: (
        Permission.CREATE_JOB_PRICING,
        Permission.UPDATE_JOB_PRICING,
        Permission.USE_AI_GENERATION,
        Permission.VIEW_HRIS_DATA,
        Permission.VIEW_APPLICANTS,
    ),
    Role.HR_MANAGER: (
        Permission.APPROVE_SALARY_RECOMMENDATIONS,
        Permission.MANAGE_APPLICANTS,
    ),
    Role.ADMIN: (
        Permission.DELETE_JOB_PRICING,
        Permission.REFRESH_EXTERNAL_DATA,
        Permission.MANAGE_HRIS_INTEGRATION,
        Permission.VIEW_SYSTEM_LOGS,
        Permission.MANAGE_USERS,
        Permission.MANAGE_ROLES,
        Permission.MANAGE_SETTINGS,
        Permission.IMPORT_MARKET_DATA,
        Permission.MANAGE_API_KEYS,
        Permission.MANAGE_BACKUPS,
    ),
}


def _cumulative() -> Mapping[Role, frozenset[Permission]]:
    held: set[Permission] = set()
    table = {}
    for role in ROLE_ORDER:
        held |= set(_ADDED[role])
        table[role] = frozenset(held)
    return MappingProxyType(table)


ROLE_PERMISSIONS: Mapping[Role, frozenset[Permission]] = _cumulative()
