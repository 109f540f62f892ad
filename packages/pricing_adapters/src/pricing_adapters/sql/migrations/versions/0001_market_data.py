"""Market data: sources, versions, areas, industries, jobs and cuts.

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from pricing_adapters.sql.types import Money, UtcDateTime

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    # sources <-> versions reference each other: SQLite takes the forward reference inline,
    # PostgreSQL gets the constraint once both tables exist.
    active_fk = (
        [
            sa.ForeignKeyConstraint(
                ["active_version_id"], ["market_versions.id"], name="fk_active_version"
            )
        ]
        if sqlite
        else []
    )
    op.create_table(
        "market_sources",
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("top_code", Money(), nullable=True),
        sa.Column("active_version_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("name", name="pk_market_sources"),
        *active_fk,
    )
    op.create_table(
        "market_versions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source", sa.String(100), nullable=False),
        sa.Column("label", sa.String(100), nullable=False),
        sa.Column("sha256", sa.CHAR(64), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("imported_at", UtcDateTime(), nullable=False),
        sa.Column("imported_by", sa.String(200), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.ForeignKeyConstraint(
            ["source"], ["market_sources.name"], name="fk_market_versions_source_market_sources"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_market_versions"),
        sa.UniqueConstraint("source", "label", name="uq_market_versions_source_label"),
    )
    if not sqlite:
        op.create_foreign_key(
            "fk_active_version", "market_sources", "market_versions", ["active_version_id"], ["id"]
        )
    op.create_table(
        "market_areas",
        sa.Column("code", sa.String(20), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("parent", sa.String(20), nullable=True),
        sa.PrimaryKeyConstraint("code", name="pk_market_areas"),
    )
    op.create_table(
        "market_industries",
        sa.Column("code", sa.String(20), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_market_industries"),
    )
    op.create_table(
        "market_jobs",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("job_code", sa.String(40), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["market_versions.id"],
            name="fk_market_jobs_version_id_market_versions",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("version_id", "job_code", name="pk_market_jobs"),
    )
    op.create_table(
        "market_cuts",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("job_code", sa.String(40), nullable=False),
        sa.Column("area_code", sa.String(20), nullable=False),
        sa.Column("industry_code", sa.String(20), nullable=False),
        sa.Column("currency", sa.CHAR(3), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=False),
        *(sa.Column(p, Money(), nullable=True) for p in ("p10", "p25", "p50", "p75", "p90")),
        sa.Column("states", sa.CHAR(5), nullable=False),
        sa.Column("employment", sa.Integer(), nullable=True),
        sa.Column("incumbents", sa.Integer(), nullable=True),
        sa.Column("organizations", sa.Integer(), nullable=True),
        sa.Column("wage_rse", Money(), nullable=True),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["market_versions.id"],
            name="fk_market_cuts_version_id_market_versions",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "version_id", "job_code", "area_code", "industry_code", name="pk_market_cuts"
        ),
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("fk_active_version", "market_sources", type_="foreignkey")
    for table in ("market_cuts", "market_jobs", "market_industries", "market_areas"):
        op.drop_table(table)
    op.drop_table("market_versions")
    op.drop_table("market_sources")
