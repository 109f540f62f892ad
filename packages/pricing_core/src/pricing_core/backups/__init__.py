"""Backups: which files count as backups, what makes one acceptable, and the report."""
