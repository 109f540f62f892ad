"""Access: users, refresh tokens, revoked access tokens, API keys and the audit log.

The audit log is append-only. Triggers refuse UPDATE and DELETE on both databases (and
TRUNCATE on PostgreSQL), whoever asks. A trigger can be dropped by the table's owner, so on
PostgreSQL the application must not connect as the role that owns the schema: run
migrations as an owner role and give the application's role only what it needs
(`pricing db roles` does it; docs/database-roles.md), e.g.

    -- as the owner (or a superuser), after `pricing db upgrade`:
    GRANT SELECT, INSERT, UPDATE, DELETE ON users, refresh_tokens, revoked_tokens, api_keys
        TO pricing_app;
    GRANT SELECT, INSERT ON audit_log TO pricing_app;   -- no UPDATE, DELETE or TRUNCATE
    GRANT SELECT ON alembic_version TO pricing_app;
    -- market data as the importers need it (see the README).

INSERT on `audit_log` is enough for its identity column; the app role then gets
"permission denied" for UPDATE or DELETE before any trigger runs.

On SQLite the triggers are the whole protection (a file has no roles). SQLite alters a
table by copying it, which drops its triggers: a later revision that batch-alters
`audit_log` must create them again.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from pricing_adapters.sql.types import UtcDateTime

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY = "audit_log is append-only"

POSTGRES_TRIGGERS = (
    f"""
    CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{APPEND_ONLY}: % refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END
    $$
    """,
    """
    CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()
    """,
    """
    CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()
    """,
)

SQLITE_TRIGGERS = tuple(
    f"""
    CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log
    BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}: {verb} refused'); END
    """
    for verb in ("UPDATE", "DELETE")
)


def _id() -> sa.String:
    return sa.String(64)


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.create_table(
        "users",
        sa.Column("id", _id(), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("sessions_valid_after", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("email", name="uq_users_email"),
    )
    op.create_table(
        "refresh_tokens",
        sa.Column("id", _id(), nullable=False),
        sa.Column("user_id", _id(), nullable=False),
        sa.Column("family_id", _id(), nullable=False),
        sa.Column("token_hash", sa.String(128), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("expires_at", UtcDateTime(), nullable=False),
        sa.Column("family_expires_at", UtcDateTime(), nullable=False),
        sa.Column("used_at", UtcDateTime(), nullable=True),
        sa.Column("revoked_at", UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_refresh_tokens_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_refresh_tokens"),
        sa.UniqueConstraint("token_hash", name="uq_refresh_tokens_token_hash"),
    )
    op.create_index("ix_refresh_tokens_user_id", "refresh_tokens", ["user_id"])
    op.create_index("ix_refresh_tokens_family_id", "refresh_tokens", ["family_id"])
    op.create_table(
        "revoked_tokens",
        sa.Column("jti", _id(), nullable=False),
        sa.Column("expires_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("jti", name="pk_revoked_tokens"),
    )
    op.create_index("ix_revoked_tokens_expires_at", "revoked_tokens", ["expires_at"])
    op.create_table(
        "api_keys",
        sa.Column("id", _id(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("key_hash", sa.String(128), nullable=False),
        sa.Column("prefix", sa.String(32), nullable=False),
        sa.Column("created_by", _id(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("last_used_at", UtcDateTime(), nullable=True),
        sa.Column("revoked_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_api_keys"),
        sa.UniqueConstraint("key_hash", name="uq_api_keys_key_hash"),
    )
    op.create_table(
        "audit_log",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.Identity(),
            nullable=False,
        ),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("actor", sa.String(512), nullable=True),
        sa.Column("action", sa.String(100), nullable=False),
        sa.Column("target_type", sa.String(50), nullable=False),
        sa.Column("target_id", sa.String(512), nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("ip", sa.String(512), nullable=False),
        sa.Column("user_agent", sa.String(512), nullable=False),
        sa.Column("request_id", sa.String(512), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_actor_at", "audit_log", ["actor", "at"])
    op.create_index("ix_audit_log_action_at", "audit_log", ["action", "at"])
    op.create_index("ix_audit_log_target_at", "audit_log", ["target_type", "target_id", "at"])
    op.create_index("ix_audit_log_outcome_at", "audit_log", ["outcome", "at"])
    for statement in SQLITE_TRIGGERS if sqlite else POSTGRES_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    # Dropping the table drops its triggers; PostgreSQL's function is dropped after it.
    op.drop_table("audit_log")
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP FUNCTION audit_log_append_only()")
    op.drop_table("api_keys")
    op.drop_table("revoked_tokens")
    op.drop_table("refresh_tokens")
    op.drop_table("users")
