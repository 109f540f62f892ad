"""The role table is exactly access.md's, and Principal.can reads it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pricing_core.access.model import Principal
from pricing_core.access.roles import ROLE_ORDER, ROLE_PERMISSIONS, Permission, Role

# access.md's table, copied cell by cell: VIEWER, HR_ANALYST, HR_MANAGER, ADMIN.
TABLE = """
VIEW_JOB_PRICING               x x x x
VIEW_SALARY_RECOMMENDATIONS    x x x x
VIEW_EXTERNAL_DATA             x x x x
CREATE_JOB_PRICING             . x x x
UPDATE_JOB_PRICING             . x x x
USE_AI_GENERATION              . x x x
VIEW_HRIS_DATA                 . x x x
VIEW_APPLICANTS                . x x x
APPROVE_SALARY_RECOMMENDATIONS . . x x
MANAGE_APPLICANTS              . . x x
DELETE_JOB_PRICING             . . . x
REFRESH_EXTERNAL_DATA          . . . x
MANAGE_HRIS_INTEGRATION        . . . x
VIEW_SYSTEM_LOGS               . . . x
MANAGE_USERS                   . . . x
MANAGE_ROLES                   . . . x
MANAGE_SETTINGS                . . . x
IMPORT_MARKET_DATA             . . . x
MANAGE_API_KEYS                . . . x
MANAGE_BACKUPS                 . . . x
"""
COLUMNS = (Role.VIEWER, Role.HR_ANALYST, Role.HR_MANAGER, Role.ADMIN)
CELLS = [
    (Permission(name), role, mark == "x")
    for name, *marks in (line.split() for line in TABLE.strip().splitlines())
    for role, mark in zip(COLUMNS, marks, strict=True)
]


def test_the_table_names_every_permission_once() -> None:
    names = [line.split()[0] for line in TABLE.strip().splitlines()]
    assert sorted(names) == sorted(p.value for p in Permission)
    assert len(names) == len(set(names)) == 20


def test_four_roles_in_order() -> None:
    assert ROLE_ORDER == COLUMNS
    assert [r.rank for r in ROLE_ORDER] == [0, 1, 2, 3]


@pytest.mark.parametrize(
    ("role", "count"),
    [(Role.VIEWER, 3), (Role.HR_ANALYST, 8), (Role.HR_MANAGER, 10), (Role.ADMIN, 20)],
)
def test_counts(role: Role, count: int) -> None:
    assert len(ROLE_PERMISSIONS[role]) == count


@pytest.mark.parametrize(("permission", "role", "held"), CELLS, ids=lambda v: str(v))
def test_every_cell(permission: Permission, role: Role, held: bool) -> None:
    assert (permission in ROLE_PERMISSIONS[role]) is held
    assert Principal(role=role, user_id="u1").can(permission) is held
    assert Principal(role=role, api_key_id="k1").can(permission) is held


def test_principal_takes_a_role_name_and_names_its_actor() -> None:
    assert Principal(role="ADMIN", user_id="u1").role is Role.ADMIN
    assert Principal(role=Role.VIEWER, user_id="u1").actor == "u1"
    assert Principal(role=Role.VIEWER, api_key_id="k1").actor == "apikey:k1"
    with pytest.raises(ValueError, match="SUPERUSER"):
        Principal(role="SUPERUSER", user_id="u1")


@given(st.sampled_from(ROLE_ORDER), st.sampled_from(ROLE_ORDER))
def test_a_role_holds_everything_a_lower_role_holds(higher: Role, lower: Role) -> None:
    if higher.at_least(lower):
        assert ROLE_PERMISSIONS[lower] <= ROLE_PERMISSIONS[higher]
    else:
        assert ROLE_PERMISSIONS[higher] < ROLE_PERMISSIONS[lower]
