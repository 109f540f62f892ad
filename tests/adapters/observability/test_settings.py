"""The observability settings: defaults, production defaults, and bad values named."""

from __future__ import annotations

from pathlib import Path

import pytest

from pricing_adapters.settings import Settings, SettingsError


def read(tmp_path: Path, **env: str) -> Settings:
    return Settings.from_env({"PRICING_DATA_DIR": str(tmp_path), **env})


def test_defaults(tmp_path: Path) -> None:
    settings = read(tmp_path)
    assert settings.sentry_dsn is None
    assert settings.sentry_traces_sample_rate == 0.0
    assert (settings.log_format, settings.log_level) == ("auto", "INFO")
    assert settings.slow_query_ms == 100
    assert settings.metrics_dir is None
    assert settings.query_stats_dir is None
    assert settings.metrics_token is None
    assert settings.metrics_networks == ("127.0.0.1/32", "::1/128")  # this host only


def test_production_samples_a_tenth_of_traces_unless_told(tmp_path: Path) -> None:
    assert read(tmp_path, PRICING_ENVIRONMENT="production").sentry_traces_sample_rate == 0.1
    told = read(tmp_path, PRICING_ENVIRONMENT="production", PRICING_SENTRY_TRACES_SAMPLE_RATE="0.5")
    assert told.sentry_traces_sample_rate == 0.5


def test_values_are_read(tmp_path: Path) -> None:
    settings = read(
        tmp_path,
        PRICING_SENTRY_DSN="https://key@sentry.example/1",
        PRICING_LOG_FORMAT="json",
        PRICING_LOG_LEVEL="warning",
        PRICING_SLOW_QUERY_MS="250",
        PRICING_QUERY_STATS_DIR=str(tmp_path / "stats"),
        PRICING_METRICS_TOKEN="scrape-0123456789abcdef",
        PRICING_METRICS_NETWORKS="10.0.0.0/8, 192.0.2.7,fd00::/8",
    )
    assert settings.sentry_dsn == "https://key@sentry.example/1"
    assert "key@sentry" not in repr(settings)  # the DSN carries a key
    assert (settings.log_format, settings.log_level) == ("json", "WARNING")
    assert settings.slow_query_ms == 250
    assert settings.query_stats_dir == tmp_path / "stats"
    assert settings.metrics_token == "scrape-0123456789abcdef"
    assert "scrape-0123456789abcdef" not in repr(settings)
    assert settings.metrics_networks == ("10.0.0.0/8", "192.0.2.7/32", "fd00::/8")


def test_metrics_networks_none_leaves_the_token_only(tmp_path: Path) -> None:
    assert read(tmp_path, PRICING_METRICS_NETWORKS="none").metrics_networks == ()


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("PRICING_SENTRY_TRACES_SAMPLE_RATE", "1.5"),
        ("PRICING_SENTRY_TRACES_SAMPLE_RATE", "ten"),
        ("PRICING_LOG_FORMAT", "xml"),
        ("PRICING_LOG_LEVEL", "chatty"),
        ("PRICING_SLOW_QUERY_MS", "-1"),
        ("PRICING_METRICS_TOKEN", "short"),
        ("PRICING_METRICS_TOKEN", "has a space in the middle"),
        ("PRICING_METRICS_NETWORKS", "10.0.0.0/8,localhost"),
    ],
)
def test_a_bad_value_names_its_variable(tmp_path: Path, name: str, raw: str) -> None:
    with pytest.raises(SettingsError, match=name):
        read(tmp_path, **{name: raw})


def test_two_different_metrics_folders_are_refused(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="PROMETHEUS_MULTIPROC_DIR"):
        read(tmp_path, PRICING_METRICS_DIR="/a", PROMETHEUS_MULTIPROC_DIR="/b")
    same = read(tmp_path, PRICING_METRICS_DIR="/a", PROMETHEUS_MULTIPROC_DIR="/a/")
    assert same.metrics_dir == Path("/a")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PRICING_DATABASE_URL", "nonsense"),
        ("PRICING_DATABASE_URL", "mysql://root:secret@db/pricing"),
        ("PRICING_REDIS_URL", "localhost:6379"),
        ("PRICING_SLOW_QUERY_MS", "²"),  # a digit to str.isdigit, not to int()
        ("PRICING_RATE_LIMITS", "VIEWER=²"),
    ],
)
def test_a_malformed_url_or_number_is_named_not_a_traceback(
    tmp_path: Path, name: str, value: str
) -> None:
    with pytest.raises(SettingsError, match=name) as caught:
        read(tmp_path, **{name: value})
    assert "secret" not in str(caught.value)


@pytest.mark.parametrize(
    "url", ["memory://", "sqlite:///x.db", "postgresql://u@h/d", "postgresql+psycopg://u@h/d"]
)
def test_the_supported_database_urls_are_read(tmp_path: Path, url: str) -> None:
    assert read(tmp_path, PRICING_DATABASE_URL=url).database_url == url
