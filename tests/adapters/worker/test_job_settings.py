"""The job settings: the broker URL, the cron schedules and the reconciler's delays."""

from __future__ import annotations

import pytest

from pricing_adapters.settings import Settings, SettingsError


def settings(**env: str) -> Settings:
    return Settings.from_env({"PRICING_DATA_DIR": "/tmp/pricing-test", **env})


def test_the_defaults_run_jobs_in_process_with_the_documented_schedules() -> None:
    found = settings()
    assert found.broker_url is None
    assert found.refresh_schedule == "0 2 * * *"
    assert found.housekeeping_schedule == "30 3 * * *"
    assert found.backup_schedule == "0 1 * * *"
    assert (found.job_requeue_minutes, found.job_stale_minutes) == (5, 10)


@pytest.mark.parametrize("url", ["redis://h:6379/1", "rediss://h/0", "amqp://u:p@h:5672/"])
def test_redis_and_rabbitmq_are_brokers(url: str) -> None:
    assert settings(PRICING_BROKER_URL=url).broker_url == url


def test_another_broker_scheme_is_named_without_its_password() -> None:
    with pytest.raises(SettingsError) as raised:
        settings(PRICING_BROKER_URL="sqs://user:hunter2@queue")
    assert "PRICING_BROKER_URL" in str(raised.value)
    assert "hunter2" not in str(raised.value)


@pytest.mark.parametrize("value", ["0 2 * *", "61 2 * * *", "daily", "0 2 * * * *"])
def test_a_schedule_that_is_not_five_cron_fields_is_refused(value: str) -> None:
    with pytest.raises(SettingsError, match="PRICING_REFRESH_SCHEDULE"):
        settings(PRICING_REFRESH_SCHEDULE=value)


def test_a_schedule_can_be_switched_off() -> None:
    found = settings(PRICING_REFRESH_SCHEDULE="off", PRICING_HOUSEKEEPING_SCHEDULE="*/10 * * * *")
    assert found.refresh_schedule == ""
    assert found.housekeeping_schedule == "*/10 * * * *"


def test_the_reconciler_delays_are_whole_minutes_in_range() -> None:
    assert settings(PRICING_JOB_STALE_MINUTES="30").job_stale_minutes == 30
    with pytest.raises(SettingsError, match="PRICING_JOB_REQUEUE_MINUTES"):
        settings(PRICING_JOB_REQUEUE_MINUTES="0")


def test_a_bad_backup_schedule_is_one_line_naming_its_setting() -> None:
    with pytest.raises(SettingsError) as raised:
        settings(PRICING_BACKUP_SCHEDULE="every night")
    message = str(raised.value)
    assert "PRICING_BACKUP_SCHEDULE" in message
    assert "\n" not in message
    assert settings(PRICING_BACKUP_SCHEDULE="off").backup_schedule == ""
    assert settings(PRICING_BACKUP_SCHEDULE="15 4 * * 0").backup_schedule == "15 4 * * 0"
