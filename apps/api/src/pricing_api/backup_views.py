"""A backup report as `pricing backups verify --json` and the API show it: the adapters'
shape, which the backup jobs' reports share."""

from __future__ import annotations

from pricing_adapters.backups.views import created_json, report_json

__all__ = ["created_json", "report_json"]
