"""Pricing policy versions, saved pricing requests and their history.

`pricing_policies` holds every saved version of the policy (the rule book's defaults, version
1, are not stored). `pricing_requests` keeps a request's inputs, its result JSON, the dataset
and policy versions it used and its decision; a deleted request keeps its row (`deleted_at`).
`pricing_request_events` is the history: one row per change.

The application's role needs SELECT, INSERT and UPDATE on the first two and SELECT and INSERT
on the history; nothing in the product deletes from them.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-15
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from pricing_adapters.sql.types import Money, UtcDateTime

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = 64
ACTOR = 100


def upgrade() -> None:
    op.create_table(
        "pricing_policies",
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("policy", sa.Text(), nullable=False),
        sa.Column("saved_at", UtcDateTime(), nullable=False),
        sa.Column("saved_by", sa.String(ACTOR), nullable=False),
        sa.PrimaryKeyConstraint("version", name="pk_pricing_policies"),
    )
    op.create_table(
        "pricing_requests",
        sa.Column("id", sa.String(ID), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("inputs", sa.Text(), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("job_code", sa.String(40), nullable=False),
        sa.Column("area_code", sa.String(20), nullable=False),
        sa.Column("dataset_versions", sa.Text(), nullable=False),
        sa.Column("policy_version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(ACTOR), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("deleted_at", UtcDateTime(), nullable=True),
        sa.Column("decided_by", sa.String(ACTOR), nullable=True),
        sa.Column("decided_at", UtcDateTime(), nullable=True),
        sa.Column("decision_comment", sa.Text(), nullable=True),
        sa.Column("approved_minimum", Money(), nullable=True),
        sa.Column("approved_midpoint", Money(), nullable=True),
        sa.Column("approved_maximum", Money(), nullable=True),
        sa.Column("repriced_from", sa.String(ID), nullable=True),
        sa.Column("comparison", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_pricing_requests"),
        sa.ForeignKeyConstraint(
            ["repriced_from"],
            ["pricing_requests.id"],
            name="fk_pricing_requests_repriced_from_pricing_requests",
        ),
    )
    for name, columns in (
        ("ix_pricing_requests_created_at", ["created_at"]),
        ("ix_pricing_requests_status_created_at", ["status", "created_at"]),
        ("ix_pricing_requests_job_code_created_at", ["job_code", "created_at"]),
        ("ix_pricing_requests_area_code_created_at", ["area_code", "created_at"]),
        ("ix_pricing_requests_created_by_created_at", ["created_by", "created_at"]),
    ):
        op.create_index(name, "pricing_requests", columns)
    op.create_table(
        "pricing_request_events",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.Identity(),
            nullable=False,
        ),
        sa.Column("request_id", sa.String(ID), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("actor", sa.String(ACTOR), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_pricing_request_events"),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["pricing_requests.id"],
            name="fk_pricing_request_events_request_id_pricing_requests",
        ),
    )
    op.create_index(
        "ix_pricing_request_events_request_id_id", "pricing_request_events", ["request_id", "id"]
    )


def downgrade() -> None:
    op.drop_table("pricing_request_events")
    op.drop_table("pricing_requests")
    op.drop_table("pricing_policies")
