"""Saved pricing requests and the salary recommendation workflow (draft → decision)."""

__all__: list[str] = []
