"""Settings from `PRICING_*` environment variables: the only module that reads the environment."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from decimal import Decimal
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
    # isdigit() is true of '²', which int() refuses: only ASCII decimal digits are numbers.
    if not (raw.isascii() and raw.isdecimal()) or not low <= int(raw) <= high:
        raise SettingsError(f"{name} must be a whole number from {low} to {high}, got {raw!r}")
    return int(raw)


DATABASE_SCHEMES = (
    "memory://",
    "sqlite:",
    "sqlite+pysqlite:",
    "postgresql:",
    "postgres:",
    "postgresql+psycopg:",
)
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")
BROKER_SCHEMES = ("redis://", "rediss://", "amqp://", "amqps://")


def _schedule(environ: Mapping[str, str], name: str, default: str) -> str:
    """A cron expression (five fields, UTC); `off` (or `none`) runs the job on demand only."""
    raw = environ.get(name)
    value = default if raw is None or not raw.strip() else raw.strip()
    if value.lower() in {"off", "none"}:
        return ""
    from croniter import croniter  # type: ignore[import-untyped]  # ships no type hints

    if len(value.split()) != 5 or not croniter.is_valid(value):
        raise SettingsError(f"{name} must be a cron expression like '0 2 * * *', got {raw!r}")
    return value


def _scheme(url: str, name: str, schemes: tuple[str, ...]) -> None:
    # Caught here, a wrong URL is one line naming the variable, not a driver's traceback.
    if not url.lower().startswith(schemes):
        shown = url.split("@")[-1]  # never echo a password
        raise SettingsError(f"{name} must start with one of {', '.join(schemes)}; got {shown!r}")


def _words(environ: Mapping[str, str], name: str) -> tuple[str, ...]:
    return tuple(w.strip().lower() for w in (environ.get(name) or "").split(",") if w.strip())


def _networks(environ: Mapping[str, str], name: str) -> tuple[str, ...]:
    found = []
    for spec in (environ.get(name) or "").split(","):
        if not spec.strip():
            continue
        try:
            found.append(str(ipaddress.ip_network(spec.strip(), strict=False)))
        except ValueError:
            raise SettingsError(
                f"{name}: {spec.strip()!r} is not an IP address or network"
            ) from None
    return tuple(found)


RATE_LIMIT_NAMES = ("VIEWER", "HR_ANALYST", "HR_MANAGER", "ADMIN", "anonymous", "auth")


def _rate_limits(environ: Mapping[str, str], name: str) -> tuple[tuple[str, int | None], ...]:
    """`VIEWER=60,ADMIN=unlimited,anonymous=10`: each a whole number from 1, or unlimited."""
    found: dict[str, int | None] = {}
    for item in (environ.get(name) or "").split(","):
        if not item.strip():
            continue
        who, _, raw = (part.strip() for part in item.partition("="))
        who = who.upper() if who.upper() in RATE_LIMIT_NAMES else who.lower()
        value = raw.lower()
        number = value.isascii() and value.isdecimal()
        if who not in RATE_LIMIT_NAMES or not (value == "unlimited" or number):
            raise SettingsError(
                f"{name} takes NAME=LIMIT pairs, NAME one of {', '.join(RATE_LIMIT_NAMES)} and "
                f"LIMIT a whole number from 1 or 'unlimited'; got {item.strip()!r}"
            )
        if value != "unlimited" and not 1 <= int(value) <= 1_000_000_000:
            raise SettingsError(f"{name}: {who} must be from 1 to 1000000000, got {raw!r}")
        found[who] = None if value == "unlimited" else int(value)
    return tuple(found.items())


LOG_FORMATS = ("auto", "json", "console")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


def _choice(environ: Mapping[str, str], name: str, choices: tuple[str, ...], default: str) -> str:
    raw = (environ.get(name) or "").strip()
    if not raw:
        return default
    for choice in choices:
        if raw.lower() == choice.lower():
            return choice
    raise SettingsError(f"{name} must be one of {', '.join(choices)}, got {raw!r}")


def _fraction(environ: Mapping[str, str], name: str, default: float) -> float:
    raw = (environ.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise SettingsError(f"{name} must be a number from 0 to 1, got {raw!r}")
    return value


# Who may scrape /metrics without the token: this host, unless told otherwise.
METRICS_NETWORKS = ("127.0.0.1/32", "::1/128")
# /metrics is never rate limited, so its token must be too long to guess.
MIN_METRICS_TOKEN = 16


def _metrics_token(environ: Mapping[str, str]) -> str | None:
    raw = (environ.get("PRICING_METRICS_TOKEN") or "").strip()
    if raw and (len(raw) < MIN_METRICS_TOKEN or not raw.isprintable() or " " in raw):
        raise SettingsError(
            f"PRICING_METRICS_TOKEN must be at least {MIN_METRICS_TOKEN} printable characters "
            "without spaces"
        )
    return raw or None


def _metrics_networks(environ: Mapping[str, str]) -> tuple[str, ...]:
    """PRICING_METRICS_NETWORKS: CIDRs, `none` (the token only), or unset (loopback)."""
    name = "PRICING_METRICS_NETWORKS"
    if (environ.get(name) or "").strip().lower() == "none":
        return ()
    return _networks(environ, name) or METRICS_NETWORKS


def _metrics_dir(environ: Mapping[str, str]) -> Path | None:
    """PRICING_METRICS_DIR, or prometheus_client's own PROMETHEUS_MULTIPROC_DIR; not both."""
    ours = (environ.get("PRICING_METRICS_DIR") or "").strip()
    theirs = (environ.get("PROMETHEUS_MULTIPROC_DIR") or "").strip()
    if ours and theirs and Path(ours) != Path(theirs):
        raise SettingsError(
            f"PRICING_METRICS_DIR ({ours}) and PROMETHEUS_MULTIPROC_DIR ({theirs}) differ"
        )
    return Path(ours or theirs) if ours or theirs else None


def _key_prefix(environ: Mapping[str, str]) -> str:
    """PRICING_REDIS_PREFIX without a trailing colon (one is put between it and each name);
    unset, a deployment that set only PRICING_RATE_LIMIT_PREFIX keeps every key under that."""
    raw = (environ.get("PRICING_REDIS_PREFIX") or "").strip().rstrip(":")
    if raw and (not raw.isprintable() or " " in raw):
        raise SettingsError(f"PRICING_REDIS_PREFIX must be printable, without spaces; got {raw!r}")
    limits = (environ.get("PRICING_RATE_LIMIT_PREFIX") or "").strip().rstrip(":")
    return raw or limits or "pricing"


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
    # How long a generated one-time password opens its account (it must be changed at once).
    one_time_password_hours: int = 72
    registration_enabled: bool = False
    registration_domains: tuple[str, ...] = ()
    # Rate limits (access.md): proxies whose X-Forwarded-For is believed, and overrides of
    # the policy's numbers; see the README's settings table.
    trusted_proxies: tuple[str, ...] = ()
    rate_limit_enabled: bool = True
    rate_limits: tuple[tuple[str, int | None], ...] = ()
    rate_limit_window: int = 3600
    rate_limit_auth_window: int = 60
    rate_limit_prefix: str = "pricing:ratelimit"
    # Redis: every key starts with `redis_prefix`; calls give up after `redis_timeout_ms`,
    # and once Redis failed it is tried again every `redis_retry_seconds` (redis_breaker).
    redis_prefix: str = "pricing"
    redis_timeout_ms: int = 100
    redis_retry_seconds: int = 5
    # The role that migrates, when the app's own may not (docs/database-roles.md).
    migration_database_url: str | None = attrs.field(default=None, repr=False)
    # Observability: error reports, logs, statement timing and metrics across processes.
    sentry_dsn: str | None = attrs.field(default=None, repr=False)
    sentry_traces_sample_rate: float = 0.0
    log_format: str = "auto"  # auto: JSON in production, readable text elsewhere
    log_level: str = "INFO"
    slow_query_ms: int = 100
    metrics_dir: Path | None = None  # prometheus multiprocess mode when set
    # Who may scrape /metrics (no user account): this bearer token, or these client networks.
    metrics_token: str | None = attrs.field(default=None, repr=False)
    metrics_networks: tuple[str, ...] = METRICS_NETWORKS
    query_stats_dir: Path | None = None  # None: data_dir / "query-stats"
    # Backups: where they are written and verified, and how strict verification is.
    backup_dir: Path | None = None  # None: data_dir / "backups"
    market_drop_dir: Path | None = None  # None: data_dir / "market-drop"
    backup_min_size_ratio: Decimal = Decimal("0.5")
    backup_max_age_hours: int = 26
    # Background jobs: a broker for separate worker processes (None: a thread of this
    # process runs them), their schedules (cron, UTC; "" for none) and the reconciler's delays.
    broker_url: str | None = attrs.field(default=None, repr=False)
    refresh_schedule: str = "0 2 * * *"
    housekeeping_schedule: str = "30 3 * * *"
    backup_schedule: str = "0 1 * * *"
    job_requeue_minutes: int = 5
    job_stale_minutes: int = 10

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read `PRICING_*` from `environ` (default: this process's environment)."""
        if environ is None:
            environ = os.environ  # noqa: TID251 - the one module that reads the environment
        data_dir = Path(
            environ.get("PRICING_DATA_DIR") or platformdirs.user_data_dir(APP_NAME, appauthor=False)
        )
        database_url = environ.get("PRICING_DATABASE_URL") or f"sqlite:///{data_dir / 'pricing.db'}"
        _scheme(database_url, "PRICING_DATABASE_URL", DATABASE_SCHEMES)
        if environ.get("PRICING_REDIS_URL"):
            _scheme(environ["PRICING_REDIS_URL"], "PRICING_REDIS_URL", REDIS_SCHEMES)
        migration_url = environ.get("PRICING_MIGRATION_DATABASE_URL") or None
        if migration_url:
            _scheme(migration_url, "PRICING_MIGRATION_DATABASE_URL", DATABASE_SCHEMES)
        redis_prefix = _key_prefix(environ)
        if environ.get("PRICING_BROKER_URL"):
            _scheme(environ["PRICING_BROKER_URL"], "PRICING_BROKER_URL", BROKER_SCHEMES)
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
            one_time_password_hours=_integer(
                environ, "PRICING_ONE_TIME_PASSWORD_HOURS", 72, 1, 24 * 366
            ),
            registration_enabled=_flag(environ, "PRICING_REGISTRATION_ENABLED", False),
            registration_domains=_words(environ, "PRICING_REGISTRATION_DOMAINS"),
            trusted_proxies=_networks(environ, "PRICING_TRUSTED_PROXIES"),
            rate_limit_enabled=_flag(environ, "PRICING_RATE_LIMIT_ENABLED", True),
            rate_limits=_rate_limits(environ, "PRICING_RATE_LIMITS"),
            rate_limit_window=_integer(environ, "PRICING_RATE_LIMIT_WINDOW", 3600, 1, 86400),
            rate_limit_auth_window=_integer(
                environ, "PRICING_RATE_LIMIT_AUTH_WINDOW", 60, 1, 86400
            ),
            rate_limit_prefix=(
                environ.get("PRICING_RATE_LIMIT_PREFIX") or f"{redis_prefix}:ratelimit"
            ),
            redis_prefix=redis_prefix,
            redis_timeout_ms=_integer(environ, "PRICING_REDIS_TIMEOUT_MS", 100, 5, 10_000),
            redis_retry_seconds=_integer(environ, "PRICING_REDIS_RETRY_SECONDS", 5, 1, 3600),
            migration_database_url=migration_url,
            sentry_dsn=environ.get("PRICING_SENTRY_DSN") or None,
            sentry_traces_sample_rate=_fraction(
                environ,
                "PRICING_SENTRY_TRACES_SAMPLE_RATE",
                0.1 if (environ.get("PRICING_ENVIRONMENT") or "") == "production" else 0.0,
            ),
            log_format=_choice(environ, "PRICING_LOG_FORMAT", LOG_FORMATS, "auto"),
            log_level=_choice(environ, "PRICING_LOG_LEVEL", LOG_LEVELS, "INFO"),
            slow_query_ms=_integer(environ, "PRICING_SLOW_QUERY_MS", 100, 0, 3_600_000),
            metrics_dir=_metrics_dir(environ),
            metrics_token=_metrics_token(environ),
            metrics_networks=_metrics_networks(environ),
            query_stats_dir=(
                Path(environ["PRICING_QUERY_STATS_DIR"])
                if environ.get("PRICING_QUERY_STATS_DIR")
                else None
            ),
            backup_dir=(
                Path(environ["PRICING_BACKUP_DIR"]) if environ.get("PRICING_BACKUP_DIR") else None
            ),
            market_drop_dir=(
                Path(environ["PRICING_MARKET_DROP_DIR"])
                if environ.get("PRICING_MARKET_DROP_DIR")
                else None
            ),
            backup_min_size_ratio=Decimal(
                str(_fraction(environ, "PRICING_BACKUP_MIN_SIZE_RATIO", 0.5))
            ),
            backup_max_age_hours=_integer(environ, "PRICING_BACKUP_MAX_AGE_HOURS", 26, 1, 8760),
            broker_url=environ.get("PRICING_BROKER_URL") or None,
            refresh_schedule=_schedule(environ, "PRICING_REFRESH_SCHEDULE", "0 2 * * *"),
            housekeeping_schedule=_schedule(environ, "PRICING_HOUSEKEEPING_SCHEDULE", "30 3 * * *"),
            backup_schedule=_schedule(environ, "PRICING_BACKUP_SCHEDULE", "0 1 * * *"),
            job_requeue_minutes=_integer(environ, "PRICING_JOB_REQUEUE_MINUTES", 5, 1, 1440),
            job_stale_minutes=_integer(environ, "PRICING_JOB_STALE_MINUTES", 10, 1, 1440),
        )
