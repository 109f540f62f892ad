"""Access hardening: one-time passwords that expire, and refresh tokens that name their parent.

`users.one_time_password_expires_at` is set while an account's password is one it was given
(generated when an administrator made the account): until it is changed the account may only
read itself, change its password and log out, and after that instant it cannot log in.
`refresh_tokens.parent_id` names the token whose use issued a token, so that presenting a
spent token again can be told apart: a lost race (its successor is unused, moments later)
or a replay (revokes the family). Rows from before this revision have no parent.

Both columns are nullable additions: SQLite adds them in place, without copying a table.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from pricing_adapters.sql.types import UtcDateTime

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("users", sa.Column("one_time_password_expires_at", UtcDateTime(), nullable=True))
    op.add_column("refresh_tokens", sa.Column("parent_id", sa.String(64), nullable=True))
    op.create_index("ix_refresh_tokens_parent_id", "refresh_tokens", ["parent_id"])


def downgrade() -> None:
    op.drop_index("ix_refresh_tokens_parent_id", table_name="refresh_tokens")
    # ALTER TABLE ... DROP COLUMN in place (SQLite 3.35+): a batch copy would drop `users`,
    # and with foreign keys on that deletes every refresh token by cascade.
    op.execute("ALTER TABLE refresh_tokens DROP COLUMN parent_id")
    op.execute("ALTER TABLE users DROP COLUMN one_time_password_expires_at")
