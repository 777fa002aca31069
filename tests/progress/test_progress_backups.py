"""Daily backups, restoring any backup, importing a file and resetting, on real files."""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from progress_helpers import make_entry, sample_document

from studyguide.engine.clock import FrozenClock
from studyguide.progress import ProgressRestoreError, ProgressStore, ProgressUnreadable
from studyguide.progress.backups import (
    DAILY_KEEP,
    daily_backups,
    find_backup,
    first_restorable,
    list_backups,
    summarize,
)

# 15:00 UTC is 10:00 in Boston: well inside a study day, whatever the zone's offset.
START = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


def study_days(path: Path, days: int, per_day: int = 2) -> FrozenClock:
    """Open, answer ``per_day`` times and close, on each of ``days`` days in a row."""
    clock = FrozenClock(START)
    n = 0
    for _ in range(days):
        with ProgressStore(path, clock=clock) as store:
            doc = store.open()
            for _ in range(per_day):
                doc.append_log(make_entry(n, time=clock.now().isoformat()))
                n += 1
                store.save(doc)
                clock.advance(minutes=1)
        clock.advance(days=1)
    return clock


def good_text(log_entries: int = 3) -> str:
    return sample_document(log_entries).to_json()


def answers(path: Path) -> int:
    return len(json.loads(path.read_text())["log"])


def test_the_first_save_of_each_day_keeps_the_file_as_it_was(tmp_path):
    path = tmp_path / "progress.json"
    study_days(path, 3)
    names = [p.name for p in daily_backups(path)]
    assert names == ["progress.json.2026-11-22.bak", "progress.json.2026-11-21.bak"]
    # Each holds the file as the day found it: everything answered on the days before.
    assert answers(tmp_path / "progress.json.2026-11-21.bak") == 2
    assert answers(tmp_path / "progress.json.2026-11-22.bak") == 4
    assert answers(path) == 6
    assert answers(tmp_path / "progress.json.bak") == 5  # the rolling one is one save deep


def test_a_daily_backup_is_written_once_a_day_and_is_its_own_file(tmp_path):
    path = tmp_path / "progress.json"
    clock = study_days(path, 2)
    daily = tmp_path / "progress.json.2026-11-21.bak"
    before = daily.read_bytes()
    with ProgressStore(path, clock=FrozenClock(START.replace(day=21, hour=20))) as store:
        doc = store.open()
        doc.append_log(make_entry(99))
        store.save(doc)  # later on the same day: the day's backup stays as it was
    assert daily.read_bytes() == before
    assert not os.path.samefile(daily, path)  # a copy, not a second name for the file
    if os.name == "posix":
        assert daily.stat().st_mode & 0o777 == 0o600
    assert clock.now().date() == date(2026, 11, 22)


def test_only_the_last_days_are_kept(tmp_path):
    path = tmp_path / "progress.json"
    unrelated = tmp_path / "progress.json.notes.bak"
    unrelated.write_text("mine")
    study_days(path, DAILY_KEEP + 3, per_day=1)
    kept = daily_backups(path)
    assert len(kept) == DAILY_KEEP
    assert kept[0].name == "progress.json.2026-11-29.bak"
    assert kept[-1].name == "progress.json.2026-11-23.bak"
    assert unrelated.read_text() == "mine"


def test_a_daily_backup_never_writes_through_a_symlink(tmp_path):
    path = tmp_path / "progress.json"
    study_days(path, 1)
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("do not touch")
    link = tmp_path / "progress.json.2026-11-21.bak"
    link.symlink_to(elsewhere)
    os.unlink(link)  # a dangling link at the day's name after all: still not followed
    link.symlink_to(tmp_path / "missing-target")
    with ProgressStore(path, clock=FrozenClock(START.replace(day=22))) as store:
        doc = store.open()
        doc.append_log(make_entry(50))
        store.save(doc)
    assert elsewhere.read_text() == "do not touch"
    assert not (tmp_path / "missing-target").exists()
    assert (tmp_path / "progress.json.2026-11-22.bak").is_file()


def test_list_backups_sums_each_one_up(tmp_path):
    path = tmp_path / "progress.json"
    study_days(path, 3)
    (tmp_path / "progress.json.2026-11-19.bak").write_text("{cut off")
    listed = list_backups(path)
    assert [b.name for b in listed] == ["latest", "2026-11-22", "2026-11-21", "2026-11-19"]
    assert [b.summary.answers for b in listed] == [5, 4, 2, None]
    assert listed[1].summary.last_answer == datetime(
        2026, 11, 21, 15, 3, tzinfo=UTC
    )  # day 2, its second answer
    assert "cannot be read" in listed[3].summary.line()
    assert "4 answers, the last on" in listed[1].summary.line()
    assert find_backup(path, "2026-11-21") == tmp_path / "progress.json.2026-11-21.bak"
    assert find_backup(path, "progress.json.bak") == tmp_path / "progress.json.bak"
    with pytest.raises(ProgressRestoreError, match="no backup named '2020-01-01'"):
        find_backup(path, "2020-01-01")


def test_restore_from_a_daily_backup_keeps_the_readable_file_as_replaced(tmp_path):
    path = tmp_path / "progress.json"
    study_days(path, 3)
    current = path.read_bytes()
    store = ProgressStore(path)
    store.restore_backup(tmp_path / "progress.json.2026-11-21.bak")
    assert answers(path) == 2
    assert store.kept_path is not None
    assert store.kept_path.name.startswith("progress.json.replaced-")  # it was readable
    assert store.kept_path.read_bytes() == current


def test_first_restorable_skips_an_unreadable_backup(tmp_path):
    path = tmp_path / "progress.json"
    study_days(path, 2)
    (tmp_path / "progress.json.bak").write_text("[]")
    assert first_restorable(path) == tmp_path / "progress.json.2026-11-21.bak"
    (tmp_path / "progress.json.2026-11-21.bak").unlink()
    assert first_restorable(path) is None


def test_unreadable_message_points_at_daily_backups_when_there_is_no_bak(tmp_path):
    path = tmp_path / "progress.json"
    study_days(path, 2)
    (tmp_path / "progress.json.bak").unlink()
    path.write_text("{")
    with pytest.raises(ProgressUnreadable) as caught:
        ProgressStore(path).open()
    assert "studyguide progress restore --list" in str(caught.value)
    assert "cannot help" not in str(caught.value)


def test_import_checks_the_file_like_opening_it(tmp_path):
    path = tmp_path / "progress.json"
    path.write_text(good_text(log_entries=1))
    before = path.read_bytes()
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema_version": 99}')
    with pytest.raises(ProgressRestoreError, match="newer"):
        ProgressStore(path).import_file(bad)
    with pytest.raises(ProgressRestoreError, match="is the progress file itself"):
        ProgressStore(path).import_file(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json", "progress.json"] + (
        ["progress.json.lock"] if (tmp_path / "progress.json.lock").exists() else []
    )


def test_import_keeps_the_current_file_aside(tmp_path):
    path = tmp_path / "progress.json"
    path.write_text(good_text(log_entries=1))
    exported = tmp_path / "export.json"
    exported.write_text(good_text(log_entries=7))
    store = ProgressStore(path)
    store.import_file(exported)
    assert path.read_bytes() == exported.read_bytes()
    assert store.kept_path is not None and answers(store.kept_path) == 1
    assert len(store.open().log) == 7
    store.close()


def test_import_refuses_while_the_app_has_the_file(tmp_path):
    from studyguide.progress import ProgressLocked

    path = tmp_path / "progress.json"
    path.write_text(good_text(log_entries=1))
    exported = tmp_path / "export.json"
    exported.write_text(good_text(log_entries=7))
    with ProgressStore(path) as holder:
        holder.open()
        with pytest.raises(ProgressLocked):
            ProgressStore(path).import_file(exported)
    assert answers(path) == 1


def test_reset_keeps_settings_and_a_copy(tmp_path):
    path = tmp_path / "progress.json"
    with ProgressStore(path) as store:
        doc = store.open()
        doc.settings["new_per_day"] = 4
        doc.append_log(make_entry(1))
        doc.flags["q"] = {"note": "n", "time": "2026-11-25T15:00:00+00:00"}
        store.save(doc)
    before = path.read_bytes()
    store = ProgressStore(path)
    store.reset()
    after = json.loads(path.read_text())
    assert after["log"] == [] and after["flags"] == {} and after["cards"] == {}
    assert after["settings"]["new_per_day"] == 4
    assert store.kept_path is not None and store.kept_path.read_bytes() == before
    assert summarize(path).answers == 0


def test_reset_of_an_unreadable_file_keeps_it_as_corrupt(tmp_path):
    path = tmp_path / "progress.json"
    path.write_text("{broken")
    store = ProgressStore(path)
    store.reset()
    assert store.kept_path is not None and store.kept_path.name.startswith("progress.json.corrupt-")
    assert store.kept_path.read_text() == "{broken"
    assert json.loads(path.read_text())["log"] == []


def test_open_says_whether_the_file_is_new(tmp_path):
    path = tmp_path / "progress.json"
    with ProgressStore(path) as store:
        doc = store.open()
        assert store.is_new
        store.save(doc)
    with ProgressStore(path) as store:
        store.open()
        assert not store.is_new
