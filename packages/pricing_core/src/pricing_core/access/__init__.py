"""Access: roles and permissions, accounts, passwords, tokens, API keys and the audit log."""

__all__: list[str] = []
