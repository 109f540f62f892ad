"""The schema, as SQLAlchemy Core tables; Alembic migrations create exactly this."""

from __future__ import annotations

from sqlalchemy import (
    CHAR,
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Identity,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from pricing_adapters.sql.types import Money, UtcDateTime

__all__ = [
    "api_keys",
    "audit_log",
    "jobs",
    "market_areas",
    "market_cuts",
    "market_industries",
    "market_jobs",
    "market_sources",
    "market_versions",
    "metadata",
    "pricing_policies",
    "pricing_request_events",
    "pricing_requests",
    "refresh_tokens",
    "revoked_tokens",
    "users",
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
    # Over the canonical cut rows (importers.content); NULL until first needed for versions
    # stored before revision 0004.
    Column("content_sha256", CHAR(64), nullable=True),
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

# Access: users, sessions, revocations, API keys and the audit log (revision 0002).
# Ids come from the core's Secrets port; free text from clients fits the audit columns
# because the auditor cuts it to 512 characters (and the SQL audit log cuts it again).

ID = 64
TEXT = 512

users = Table(
    "users",
    metadata,
    Column("id", String(ID), primary_key=True),
    # Stored lower-cased (normalise_email), so the unique constraint is case-insensitive.
    Column("email", String(320), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("password_hash", String(255), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("sessions_valid_after", UtcDateTime, nullable=True),
    # Set while the password is a one-time password: it must be changed, and dies then.
    Column("one_time_password_expires_at", UtcDateTime, nullable=True),
)

refresh_tokens = Table(
    "refresh_tokens",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column(
        "user_id",
        String(ID),
        ForeignKey("users.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("family_id", String(ID), nullable=False, index=True),
    Column("token_hash", String(128), nullable=False, unique=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("family_expires_at", UtcDateTime, nullable=False),
    Column("used_at", UtcDateTime, nullable=True),
    Column("revoked_at", UtcDateTime, nullable=True),
    # The token whose use issued this one: a replay of it is told from a lost race by it.
    Column("parent_id", String(ID), nullable=True, index=True),
)

revoked_tokens = Table(
    "revoked_tokens",
    metadata,
    Column("jti", String(ID), primary_key=True),
    Column("expires_at", UtcDateTime, nullable=False, index=True),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("key_hash", String(128), nullable=False, unique=True),
    Column("prefix", String(32), nullable=False),
    Column("created_by", String(ID), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("last_used_at", UtcDateTime, nullable=True),
    Column("revoked_at", UtcDateTime, nullable=True),
)

# Append-only: triggers refuse UPDATE and DELETE (see migration 0002 for the grants).
# BIGINT identity on PostgreSQL; SQLite numbers rows only through INTEGER PRIMARY KEY.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", BigInteger().with_variant(Integer(), "sqlite"), Identity(), primary_key=True),
    Column("at", UtcDateTime, nullable=False, index=True),
    Column("actor", String(TEXT), nullable=True),
    Column("action", String(100), nullable=False),
    Column("target_type", String(50), nullable=False),
    Column("target_id", String(TEXT), nullable=False),
    Column("outcome", String(20), nullable=False),
    Column("ip", String(TEXT), nullable=False),
    Column("user_agent", String(TEXT), nullable=False),
    Column("request_id", String(TEXT), nullable=False),
    Column("detail", Text, nullable=False),
    # Each filter with the time, so "newest first" within a filter reads one index range.
    Index("ix_audit_log_actor_at", "actor", "at"),
    Index("ix_audit_log_action_at", "action", "at"),
    Index("ix_audit_log_target_at", "target_type", "target_id", "at"),
    Index("ix_audit_log_outcome_at", "outcome", "at"),
)

# Pricing policy versions, saved pricing requests and their history (revision 0003).
# JSON documents are text (decimals inside as strings), the same on both databases.

ACTOR = 100  # a user id, or `apikey:` and a key id

pricing_policies = Table(
    "pricing_policies",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("policy", Text, nullable=False),
    Column("saved_at", UtcDateTime, nullable=False),
    Column("saved_by", String(ACTOR), nullable=False),
)

pricing_requests = Table(
    "pricing_requests",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("status", String(20), nullable=False),
    # Counts changes; an update names the revision it read, so concurrent changes conflict.
    Column("revision", Integer, nullable=False),
    Column("inputs", Text, nullable=False),
    Column("result", Text, nullable=False),
    Column("job_code", String(40), nullable=False),
    Column("area_code", String(20), nullable=False),
    Column("dataset_versions", Text, nullable=False),
    Column("policy_version", Integer, nullable=False),
    Column("created_by", String(ACTOR), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("deleted_at", UtcDateTime, nullable=True),
    Column("decided_by", String(ACTOR), nullable=True),
    Column("decided_at", UtcDateTime, nullable=True),
    Column("decision_comment", Text, nullable=True),
    Column("approved_minimum", Money, nullable=True),
    Column("approved_midpoint", Money, nullable=True),
    Column("approved_maximum", Money, nullable=True),
    Column("repriced_from", String(ID), ForeignKey("pricing_requests.id"), nullable=True),
    Column("comparison", Text, nullable=True),
    # Lists are newest first: each filter with the creation time reads one index range.
    Index("ix_pricing_requests_created_at", "created_at"),
    Index("ix_pricing_requests_status_created_at", "status", "created_at"),
    Index("ix_pricing_requests_job_code_created_at", "job_code", "created_at"),
    Index("ix_pricing_requests_area_code_created_at", "area_code", "created_at"),
    Index("ix_pricing_requests_created_by_created_at", "created_by", "created_at"),
)

pricing_request_events = Table(
    "pricing_request_events",
    metadata,
    Column("id", BigInteger().with_variant(Integer(), "sqlite"), Identity(), primary_key=True),
    Column("request_id", String(ID), ForeignKey("pricing_requests.id"), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("actor", String(ACTOR), nullable=False),
    Column("action", String(20), nullable=False),
    Column("detail", Text, nullable=False),
    Index("ix_pricing_request_events_request_id_id", "request_id", "id"),
)

# Background jobs (revision 0006). A job is changed only over the revision it was read
# at (`revision`), so two workers never both claim it.

jobs = Table(
    "jobs",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("kind", String(100), nullable=False),
    Column("status", String(20), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("payload", Text, nullable=False),
    Column("started_by", String(ACTOR), nullable=False),
    Column("request_id", String(TEXT), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("enqueued_at", UtcDateTime, nullable=False),
    Column("started_at", UtcDateTime, nullable=True),
    Column("heartbeat_at", UtcDateTime, nullable=True),
    Column("finished_at", UtcDateTime, nullable=True),
    Column("done", Integer, nullable=False),
    Column("total", Integer, nullable=True),
    Column("attempts", Integer, nullable=False),
    Column("report", Text, nullable=True),
    Column("error", Text, nullable=True),
    Index("ix_jobs_created_at", "created_at"),
    Index("ix_jobs_status_created_at", "status", "created_at"),
    Index("ix_jobs_kind_created_at", "kind", "created_at"),
    Index("ix_jobs_started_by_created_at", "started_by", "created_at"),
)
