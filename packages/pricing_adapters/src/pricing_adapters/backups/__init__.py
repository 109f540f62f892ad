"""Backups behind the core's ports: pg_dump and SQLite's backup API, checks, restore tests."""
