"""Settings from `PRICING_*` environment variables: the only module that reads the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import attrs
import platformdirs

__all__ = ["Settings", "SettingsError"]

APP_NAME = "job-pricing"
TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off"}


class SettingsError(ValueError):
    """A setting with a value that cannot be used; the message names the variable."""


def _flag(environ: Mapping[str, str], name: str, default: bool) -> bool:
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise SettingsError(f"{name} must be true or false, got {raw!r}")


def _integer(environ: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = (environ.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise SettingsError(f"{name} must be a whole number from {low} to {high}, got {raw!r}")
    return int(raw)


def _words(environ: Mapping[str, str], name: str) -> tuple[str, ...]:
    return tuple(w.strip().lower() for w in (environ.get(name) or "").split(",") if w.strip())


@attrs.frozen(kw_only=True)
class Settings:
    """Everything the composition root needs; documented in the README's settings table."""

    data_dir: Path
    database_url: str
    bundled_data: bool = True
    title_source: str = "oews-2025"
    environment: str = "development"
    redis_url: str | None = None
    # JSON key set (pyjwt_tokens / jwt_keys.parse_key_set); None: a local key in data_dir.
    jwt_keys: str | None = attrs.field(default=None, repr=False)
    jwt_issuer: str = "job-pricing"
    jwt_audience: str = "job-pricing-api"
    password_min_length: int = 15
    # Words a password may not contain: the company's and product's names, for instance.
    password_context_words: tuple[str, ...] = ()
    registration_enabled: bool = False
    registration_domains: tuple[str, ...] = ()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read `PRICING_*` from `environ` (default: this process's environment)."""
        if environ is None:
            environ = os.environ  # noqa: TID251 - the one module that reads the environment
        data_dir = Path(
            environ.get("PRICING_DATA_DIR") or platformdirs.user_data_dir(APP_NAME, appauthor=False)
        )
        database_url = environ.get("PRICING_DATABASE_URL") or f"sqlite:///{data_dir / 'pricing.db'}"
        return cls(
            data_dir=data_dir,
            database_url=database_url,
            bundled_data=_flag(environ, "PRICING_BUNDLED_DATA", True),
            title_source=environ.get("PRICING_TITLE_SOURCE") or "oews-2025",
            environment=environ.get("PRICING_ENVIRONMENT") or "development",
            redis_url=environ.get("PRICING_REDIS_URL") or None,
            jwt_keys=environ.get("PRICING_JWT_KEYS") or None,
            jwt_issuer=environ.get("PRICING_JWT_ISSUER") or "job-pricing",
            jwt_audience=environ.get("PRICING_JWT_AUDIENCE") or "job-pricing-api",
            password_min_length=_integer(environ, "PRICING_PASSWORD_MIN_LENGTH", 15, 8, 128),
            password_context_words=_words(environ, "PRICING_PASSWORD_CONTEXT_WORDS"),
            registration_enabled=_flag(environ, "PRICING_REGISTRATION_ENABLED", False),
            registration_domains=_words(environ, "PRICING_REGISTRATION_DOMAINS"),
        )
