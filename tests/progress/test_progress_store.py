"""ProgressStore: opening, saving, unreadable files (never touched), restore, read-only load."""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from progress_helpers import file_state, make_entry, sample_document, temp_leftovers

from studyguide.progress import (
    ProgressDocument,
    ProgressLocked,
    ProgressRestoreError,
    ProgressSaveError,
    ProgressStore,
    ProgressUnreadable,
    read_only_load,
)


def good_text(log_entries: int = 3) -> str:
    return sample_document(log_entries).to_json()


def test_missing_file_gives_a_new_document_written_only_on_save(tmp_path: Path) -> None:
    path = tmp_path / "data" / "progress.json"
    with ProgressStore(path) as store:
        doc = store.open()
        assert doc.log == [] and doc.cards == {}
        assert not path.exists()
        doc.append_log(make_entry(0))
        store.save(doc)
        assert path.exists()
    assert read_only_load(path).log == [make_entry(0)]


def test_save_and_reopen_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    original = sample_document(log_entries=10)
    with ProgressStore(path) as store:
        store.open()
        store.save(original)
    with ProgressStore(path) as store:
        loaded = store.open()
    assert loaded.to_dict() == original.to_dict()
    assert loaded.app_version == original.app_version


def test_bak_holds_the_previous_save(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    with ProgressStore(path) as store:
        doc = store.open()
        for n in range(1, 4):
            doc.daily["n"] = n
            store.save(doc)
            if n > 1:
                assert read_only_load(store.backup_path).daily["n"] == n - 1
    assert read_only_load(path).daily["n"] == 3


def test_missing_file_beside_a_backup_is_unreadable_not_new(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    (tmp_path / "progress.json.bak").write_text(good_text())
    store = ProgressStore(path)
    with pytest.raises(ProgressUnreadable, match="missing, but a backup of it exists"):
        store.open()
    with pytest.raises(ProgressSaveError):
        store.save(ProgressDocument.new())
    assert not path.exists()
    store.restore_backup()
    assert store.kept_path is None
    assert len(store.open().log) == 3
    store.close()


def write_bytes(data: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data)


def write_json(value: object) -> Callable[[Path], None]:
    return lambda path: path.write_text(json.dumps(value))


def make_directory(path: Path) -> None:
    path.mkdir()
    (path / "inside.txt").write_text("a folder where the file should be")


UNREADABLE = {
    "empty": (write_bytes(b""), "the file is empty"),
    "blank": (write_bytes(b"  \n\n"), "the file is empty"),
    "truncated-in-string": (
        lambda path: path.write_text(good_text()[:-40]),
        "ends too early",
    ),
    "truncated": (lambda path: path.write_text(good_text()[:-3]), "ends too early"),
    "not-json": (write_bytes(b"progress: lots\n"), "not valid JSON (line 1, column 1"),
    "not-utf8": (write_bytes(b'{"a": "\xff\xfe"}'), "not UTF-8 text"),
    "json-list": (write_json([1, 2, 3]), "it holds a list where a JSON object was expected"),
    "json-string": (write_json("hello"), "it holds str where a JSON object was expected"),
    "wrong-structure": (
        write_json({"schema_version": 1, "cards": []}),
        "cards: must be an object, not a list",
    ),
    "bad-log-entry": (
        write_json({"schema_version": 1, "log": [{"qid": "q"}]}),
        "log[0]: missing 'time'",
    ),
    "no-version": (write_json({"cards": {}}), "schema_version: missing"),
    "newer-schema": (
        write_json({"schema_version": 99, "cards": {}}),
        "written by a newer studyguide (schema 99",
    ),
    "directory": (make_directory, "it is a folder, not a file"),
}


def snapshot(path: Path) -> object:
    if path.is_dir():
        return (
            path.stat().st_mtime_ns,
            sorted((p.name, p.read_bytes()) for p in path.iterdir()),
        )
    return file_state(path)


@pytest.mark.parametrize("with_backup", [False, True], ids=["no-backup", "backup"])
@pytest.mark.parametrize("kind", list(UNREADABLE))
def test_unreadable_file_is_reported_and_never_touched(
    tmp_path: Path, kind: str, with_backup: bool
) -> None:
    path = tmp_path / "progress.json"
    make, reason = UNREADABLE[kind]
    make(path)
    if with_backup:
        (tmp_path / "progress.json.bak").write_text(good_text())
    before = snapshot(path)
    names_before = sorted(p.name for p in tmp_path.iterdir())

    store = ProgressStore(path)
    with pytest.raises(ProgressUnreadable) as info:
        store.open()
    error = info.value
    message = str(error)
    assert str(path) in message
    assert reason in message and reason in error.reason
    assert str(tmp_path / "progress.json.bak") in message
    assert "studyguide progress restore" in message
    if with_backup:
        assert error.backup_exists and "backup of the save before it exists" in message
    else:
        assert not error.backup_exists and "does not exist" in message

    doc = sample_document()
    for attempt in (store.save, store.save_soon):
        with pytest.raises(ProgressSaveError, match="will not write over it"):
            attempt(doc)
    assert store.flush(timeout=5)
    store.close()
    assert snapshot(path) == before
    names_after = sorted(p.name for p in tmp_path.iterdir() if p.name != "progress.json.lock")
    assert names_after == names_before


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.skipif(
    os.name == "posix" and os.geteuid() == 0,
    reason="root reads a chmod 000 file anyway; the folder-at-the-path case covers "
    "an unreadable path when running as root",
)
def test_permission_denied_is_unreadable_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    path.write_text(good_text())
    path.chmod(0o000)
    try:
        before = path.stat().st_mtime_ns
        store = ProgressStore(path)
        with pytest.raises(ProgressUnreadable, match="permission denied"):
            store.open()
        with pytest.raises(ProgressSaveError):
            store.save(ProgressDocument.new())
        assert path.stat().st_mtime_ns == before
    finally:
        path.chmod(0o600)


def test_unreadable_store_lets_go_of_the_lock(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    path.write_text("{")
    with pytest.raises(ProgressUnreadable):
        ProgressStore(path).open()
    other = ProgressStore(path)
    with pytest.raises(ProgressUnreadable):
        other.open()  # not ProgressLocked


def test_restore_replaces_the_file_and_keeps_the_corrupt_one(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    backup = tmp_path / "progress.json.bak"
    backup.write_text(good_text(log_entries=4))
    path.write_bytes(b'{"schema_version": 1, "log": [')
    store = ProgressStore(path)
    with pytest.raises(ProgressUnreadable):
        store.open()
    store.restore_backup()
    assert path.read_bytes() == backup.read_bytes()
    kept = store.kept_path
    assert kept is not None and kept.name.startswith("progress.json.corrupt-")
    assert kept.read_bytes() == b'{"schema_version": 1, "log": ['
    doc = store.open()
    assert len(doc.log) == 4
    doc.append_log(make_entry(4))
    store.save(doc)
    store.close()
    assert kept.exists()
    if os.name == "posix":
        assert path.stat().st_mode & 0o777 == 0o600


def test_restore_twice_keeps_both_corrupt_files(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    (tmp_path / "progress.json.bak").write_text(good_text())
    kept = []
    for junk in (b"junk one", b"junk two"):
        path.write_bytes(junk)
        store = ProgressStore(path)
        store.restore_backup()
        kept.append(store.kept_path)
    assert kept[0] != kept[1]
    assert [p.read_bytes() for p in kept if p] == [b"junk one", b"junk two"]


def test_restore_moves_a_directory_aside(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    make_directory(path)
    (tmp_path / "progress.json.bak").write_text(good_text())
    store = ProgressStore(path)
    store.restore_backup()
    assert path.is_file()
    assert store.kept_path is not None
    assert (store.kept_path / "inside.txt").exists()


def test_restore_without_a_backup_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    path.write_bytes(b"corrupt")
    before = file_state(path)
    with pytest.raises(ProgressRestoreError, match=r"there is no backup \(.*progress.json.bak"):
        ProgressStore(path).restore_backup()
    assert file_state(path) == before


def test_restore_refuses_an_unreadable_backup(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    path.write_bytes(b"corrupt")
    (tmp_path / "progress.json.bak").write_bytes(b"[]")
    before = file_state(path)
    with pytest.raises(ProgressRestoreError, match="cannot be read either"):
        ProgressStore(path).restore_backup()
    assert file_state(path) == before
    assert [p.name for p in tmp_path.iterdir() if "corrupt" in p.name] == []


def test_restore_refuses_while_open_or_locked_elsewhere(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    path.write_text(good_text(log_entries=1))
    (tmp_path / "progress.json.bak").write_text(good_text())
    holder = ProgressStore(path)
    holder.open()
    with pytest.raises(ProgressRestoreError, match="close the progress store first"):
        holder.restore_backup()
    with pytest.raises(ProgressLocked):
        ProgressStore(path).restore_backup()
    holder.close()
    ProgressStore(path).restore_backup()


def test_read_only_load_never_locks_or_writes(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    with ProgressStore(path) as store:
        doc = store.open()
        doc.append_log(make_entry(1))
        store.save(doc)
        before = file_state(path)
        assert read_only_load(path).log == [make_entry(1)]  # while the store holds the lock
        assert file_state(path) == before
    assert read_only_load(tmp_path / "absent.json").log == []
    assert not (tmp_path / "absent.json").exists()
    path.write_text("[]")
    with pytest.raises(ProgressUnreadable):
        read_only_load(path)


def test_save_before_open_and_after_close_is_refused(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path / "progress.json")
    with pytest.raises(ProgressSaveError, match="not open"):
        store.save(ProgressDocument.new())
    store.open()
    with pytest.raises(RuntimeError):
        store.open()
    store.close()
    with pytest.raises(ProgressSaveError, match="not open"):
        store.save_soon(ProgressDocument.new())
    assert not (tmp_path / "progress.json").exists()
    assert temp_leftovers(tmp_path) == []


def test_settings_mistake_does_not_make_the_file_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    data = json.loads(good_text())
    data["settings"] = {"desired_retention": 5, "new_per_day": "many", "theme": "x"}
    path.write_text(json.dumps(data))
    with ProgressStore(path) as store:
        doc = store.open()
    assert doc.settings["desired_retention"] == 0.9 and doc.settings["new_per_day"] == 15
    assert doc.settings["theme"] == "x"
    assert len(doc.warnings) == 2


def test_a_failed_save_keeps_the_previous_file_and_the_next_one_recovers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "progress.json"
    store = ProgressStore(path)
    doc = store.open()
    doc.daily["n"] = 1
    store.save(doc)
    before = file_state(path)

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", disk_full)
    doc.daily["n"] = 2
    with pytest.raises(ProgressSaveError, match="the disk is full"):
        store.save(doc)
    monkeypatch.undo()
    assert file_state(path) == before
    assert store.last_error is not None
    assert temp_leftovers(tmp_path) == []
    doc.daily["n"] = 3
    store.save(doc)
    assert store.last_error is None
    store.close()
    assert read_only_load(path).daily["n"] == 3
