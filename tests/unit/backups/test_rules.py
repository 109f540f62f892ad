"""The backup rules over facts, with a frozen clock (security checklist items 31–33)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pricing_core.backups.model import (
    BackupFacts,
    BackupKind,
    BackupPolicy,
    Check,
    RestoreResult,
    TableFigures,
)
from pricing_core.backups.rules import MAGIC, age_hours, compare_tables, judge, kind_of

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
POLICY = BackupPolicy()
GOOD = (Check("pg_restore", True, "restored to /dev/null"),)


def facts(
    name: str = "a.dump",
    *,
    size: int = 1000,
    hours_old: float = 1,
    integrity: tuple[Check, ...] = GOOD,
    head: bytes | None = None,
    outside: bool = False,
) -> BackupFacts:
    kind = kind_of(name)
    assert kind is not None
    return BackupFacts(
        filename=name,
        kind=kind,
        size=size,
        created=NOW - timedelta(hours=hours_old),
        head=MAGIC[kind] + b"rest" if head is None else head,
        integrity=integrity,
        leads_outside=outside,
    )


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("nightly.dump", BackupKind.PG_CUSTOM),
        ("nightly.backup", BackupKind.PG_CUSTOM),
        ("nightly.sql", BackupKind.PG_SQL),
        ("nightly.SQL.GZ", BackupKind.PG_SQL_GZ),
        ("pricing-2026.sqlite", BackupKind.SQLITE),
        ("nightly.dump.tmp", None),
        ("nightly.sql.gz.tmp", None),
        (".hidden.dump", None),
        ("notes.txt", None),
        ("nightly.gz", None),
        (".sql", None),
    ],
)
def test_only_backup_names_are_picked_up(name: str, kind: BackupKind | None) -> None:
    assert kind_of(name) == kind


def test_a_good_backup_within_the_rpo_is_ok() -> None:
    report = judge([facts()], POLICY, NOW)
    assert report.ok
    assert (report.found, report.valid, report.invalid) == (1, 1, 0)
    assert report.latest_age_hours == Decimal("1.00")


def test_an_empty_file_fails() -> None:
    report = judge([facts(size=0)], POLICY, NOW)
    verdict = report.verdicts[0]
    assert not verdict.valid
    assert [c.name for c in verdict.checks if not c.ok] == ["size"]
    assert not report.ok


def test_a_file_under_half_the_previous_size_fails_and_does_not_become_the_baseline() -> None:
    older = facts("mon.dump", size=1000, hours_old=48)
    shrunk = facts("tue.dump", size=499, hours_old=24)
    newest = facts("wed.dump", size=600, hours_old=1)  # 0.6 of Monday's: fine
    report = judge([newest, shrunk, older], POLICY, NOW)
    by_name = {v.filename: v for v in report.verdicts}
    assert not by_name["tue.dump"].valid
    assert "under the minimum 0.5" in next(
        c.detail for c in by_name["tue.dump"].checks if c.name == "shrinkage"
    )
    assert by_name["wed.dump"].valid
    assert report.ok


def test_exactly_half_the_previous_size_passes() -> None:
    report = judge([facts("b.dump", size=500), facts("a.dump", hours_old=5)], POLICY, NOW)
    assert report.verdicts[0].valid


def test_shrinkage_compares_backups_of_the_same_kind_only() -> None:
    big_sql = facts("a.sql", size=10_000, hours_old=5)
    small_dump = facts("b.dump", size=100, hours_old=1)
    report = judge([big_sql, small_dump], POLICY, NOW)
    assert all(v.valid for v in report.verdicts)


def test_the_newest_valid_backup_older_than_the_rpo_fails() -> None:
    report = judge([facts(hours_old=27)], POLICY, NOW)
    assert report.valid == 1
    assert not report.within_rpo
    assert not report.ok
    assert "above the RPO of 26 h" in report.problems[0]


def test_an_invalid_newest_backup_fails_even_with_a_valid_older_one() -> None:
    bad = facts("new.dump", integrity=(Check("pg_restore", False, "truncated"),))
    report = judge([bad, facts("old.dump", hours_old=3)], POLICY, NOW)
    assert report.latest_valid is not None
    assert report.latest_valid.filename == "old.dump"
    assert not report.ok
    assert "new.dump is invalid (pg_restore)" in report.problems[0]


def test_a_symlink_leading_out_is_invalid_and_not_inspected() -> None:
    report = judge([facts(outside=True)], POLICY, NOW)
    (verdict,) = report.verdicts
    assert [c.name for c in verdict.checks] == ["location"]
    assert not verdict.valid


def test_a_link_leading_out_is_never_the_newest_backup() -> None:
    link = facts("z.dump", outside=True, hours_old=0)
    report = judge([link, facts("a.dump", hours_old=2)], POLICY, NOW)
    assert report.invalid == 1
    assert report.newest is not None
    assert report.newest.filename == "a.dump"
    assert report.ok


def test_a_wrong_magic_number_fails() -> None:
    report = judge([facts(head=b"<html>")], POLICY, NOW)
    assert [c.name for c in report.verdicts[0].checks if not c.ok] == ["format"]


def test_no_content_check_means_not_valid() -> None:
    report = judge([facts(integrity=())], POLICY, NOW)
    assert [c.name for c in report.verdicts[0].checks if not c.ok] == ["integrity"]


def test_no_backup_at_all_fails() -> None:
    report = judge([], POLICY, NOW)
    assert report.problems == ("no backup found",)


def test_a_failed_restore_test_fails_the_report() -> None:
    failed = RestoreResult(filename="a.dump", ok=False, seconds=1.0, error="rows differ")
    report = judge([facts()], POLICY, NOW, restore=failed, restore_asked=True)
    assert not report.ok
    assert report.problems == ("the restore test failed: rows differ",)


def test_a_restore_test_asked_but_not_run_fails() -> None:
    report = judge([facts(size=0)], POLICY, NOW, restore_asked=True)
    assert "the restore test failed" in report.problems


def test_table_differences_are_named() -> None:
    want = {"a": TableFigures(rows=2, checksum="x"), "b": TableFigures(rows=1, checksum="y")}
    got = {"a": TableFigures(rows=2, checksum="z"), "c": TableFigures(rows=0, checksum="")}
    assert compare_tables(want, got) == (
        "a: the rows differ from the manifest's checksum",
        "b: in the manifest but not restored",
        "c: restored but not in the manifest",
    )
    assert compare_tables(want, dict(want)) == ()


def test_policy_refuses_nonsense() -> None:
    with pytest.raises(ValueError, match="min_size_ratio"):
        BackupPolicy(min_size_ratio=Decimal("1.5"))
    with pytest.raises(ValueError, match="max_age_hours"):
        BackupPolicy(max_age_hours=Decimal(0))


sizes = st.integers(min_value=1, max_value=10**12)
ratios = st.decimals(min_value=0, max_value=1, places=2)


@given(sizes, sizes, ratios)
def test_shrinkage_fails_exactly_below_the_ratio(previous: int, size: int, ratio: Decimal) -> None:
    policy = BackupPolicy(min_size_ratio=ratio)
    report = judge(
        [facts("new.dump", size=size), facts("old.dump", size=previous, hours_old=10)], policy, NOW
    )
    newest = report.verdicts[0]
    assert newest.filename == "new.dump"
    assert newest.valid == (Decimal(size) >= ratio * previous)


@given(st.floats(min_value=0, max_value=1000, allow_nan=False), st.integers(1, 200))
def test_rpo_holds_exactly_when_the_newest_valid_is_young_enough(hours: float, rpo: int) -> None:
    policy = BackupPolicy(max_age_hours=Decimal(rpo))
    report = judge([facts(hours_old=hours)], policy, NOW)
    assert report.within_rpo == (age_hours(NOW - timedelta(hours=hours), NOW) <= rpo)
    assert report.ok == report.within_rpo


@given(st.lists(st.tuples(sizes, st.floats(0, 100), st.booleans()), min_size=1, max_size=8))
def test_counts_add_up_and_the_latest_valid_is_the_newest_valid(
    rows: list[tuple[int, float, bool]],
) -> None:
    found = [
        facts(
            f"b{i}.dump",
            size=size,
            hours_old=hours,
            integrity=GOOD if good else (Check("pg_restore", False, "bad"),),
        )
        for i, (size, hours, good) in enumerate(rows)
    ]
    report = judge(found, POLICY, NOW)
    assert report.found == len(found) == report.valid + report.invalid
    valid = [v for v in report.verdicts if v.valid]
    assert report.latest_valid == (valid[0] if valid else None)
    created = [v.facts.created for v in report.verdicts]
    assert created == sorted(created, reverse=True)
