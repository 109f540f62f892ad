"""SQL persistence: one SQLAlchemy Core schema on PostgreSQL and SQLite."""

__all__: list[str] = []
