"""The schema, as SQLAlchemy Core tables; Alembic migrations create exactly this."""

from __future__ import annotations

from sqlalchemy import (
    CHAR,
    Column,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
)

from pricing_adapters.sql.types import Money, UtcDateTime

__all__ = [
    "market_areas",
    "market_cuts",
    "market_industries",
    "market_jobs",
    "market_sources",
    "market_versions",
    "metadata",
]

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

market_sources = Table(
    "market_sources",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("title", String(300), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("top_code", Money, nullable=True),
    # Activation is this one column changing: readers see the old version or the new one.
    Column("active_version_id", Integer, nullable=True),
    ForeignKeyConstraint(
        ["active_version_id"], ["market_versions.id"], use_alter=True, name="fk_active_version"
    ),
)

market_versions = Table(
    "market_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(100), ForeignKey("market_sources.name"), nullable=False),
    Column("label", String(100), nullable=False),
    Column("sha256", CHAR(64), nullable=False),
    Column("rows", Integer, nullable=False),
    Column("imported_at", UtcDateTime, nullable=False),
    Column("imported_by", String(200), nullable=False),
    Column("status", String(20), nullable=False),
    UniqueConstraint("source", "label", name="uq_market_versions_source_label"),
)

market_areas = Table(
    "market_areas",
    metadata,
    Column("code", String(20), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("parent", String(20), nullable=True),
)

market_industries = Table(
    "market_industries",
    metadata,
    Column("code", String(20), primary_key=True),
    Column("name", String(300), nullable=False),
    Column("level", Integer, nullable=False),
)

market_jobs = Table(
    "market_jobs",
    metadata,
    Column(
        "version_id",
        Integer,
        ForeignKey("market_versions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("job_code", String(40), primary_key=True),
    Column("title", String(300), nullable=False),
)

# The primary key (version, job, area, industry) is the index every price lookup uses.
market_cuts = Table(
    "market_cuts",
    metadata,
    Column(
        "version_id",
        Integer,
        ForeignKey("market_versions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("job_code", String(40), primary_key=True),
    Column("area_code", String(20), primary_key=True),
    Column("industry_code", String(20), primary_key=True),
    Column("currency", CHAR(3), nullable=False),
    Column("effective_date", Date, nullable=False),
    Column("p10", Money),
    Column("p25", Money),
    Column("p50", Money),
    Column("p75", Money),
    Column("p90", Money),
    Column("states", CHAR(5), nullable=False),
    Column("employment", Integer),
    Column("incumbents", Integer),
    Column("organizations", Integer),
    Column("wage_rse", Money),
)

CUT_COLUMNS = [c.name for c in market_cuts.columns if c.name != "version_id"]
