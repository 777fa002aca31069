"""save_soon: the background writer coalesces, flushes, reports errors, never goes back."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from progress_helpers import make_entry, run_child

from studyguide.progress import (
    ProgressSaveError,
    ProgressStore,
    ProgressUnreadable,
    read_only_load,
)
from studyguide.progress import store as store_module


class GatedWrites:
    """Stands in for atomic_write: records each state written; the first write waits
    for ``release`` so the test controls what piles up behind it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.real = store_module.atomic_write
        self.written: list[int] = []
        self.started = threading.Event()
        self.release = threading.Event()
        monkeypatch.setattr(store_module, "atomic_write", self)

    def __call__(self, path: Path, text: Any, **kwargs: Any) -> None:
        text = text if isinstance(text, str) else b"".join(text)  # chunks from a snapshot
        if not self.started.is_set():
            self.started.set()
            assert self.release.wait(10)
        self.written.append(json.loads(text)["daily"]["n"])
        self.real(path, text, **kwargs)


def wait_for(condition: Any, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.002)


def test_only_the_newest_waiting_state_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = GatedWrites(monkeypatch)
    path = tmp_path / "progress.json"
    with ProgressStore(path) as store:
        doc = store.open()
        doc.daily["n"] = 1
        store.save_soon(doc)
        assert gate.started.wait(10)
        for n in range(2, 51):
            doc.daily["n"] = n
            doc.append_log(make_entry(n))
            store.save_soon(doc)
        doc.daily["n"] = 999  # changed after the last save_soon: not in its snapshot
        gate.release.set()
        assert store.flush(timeout=10)
        assert gate.written == [1, 50]
        saved = read_only_load(path)
        assert saved.daily["n"] == 50 and len(saved.log) == 49
        assert read_only_load(store.backup_path).daily["n"] == 1


def test_flush_waits_and_times_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gate = GatedWrites(monkeypatch)
    with ProgressStore(tmp_path / "progress.json") as store:
        doc = store.open()
        doc.daily["n"] = 1
        store.save_soon(doc)
        assert gate.started.wait(10)
        assert store.flush(timeout=0.05) is False
        gate.release.set()
        assert store.flush(timeout=10) is True
        assert read_only_load(store.path).daily["n"] == 1


def test_a_synchronous_save_is_never_overwritten_by_an_older_pending_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = GatedWrites(monkeypatch)
    path = tmp_path / "progress.json"
    with ProgressStore(path) as store:
        doc = store.open()
        doc.daily["n"] = 1
        store.save_soon(doc)
        assert gate.started.wait(10)
        doc.daily["n"] = 2
        store.save_soon(doc)  # waits behind the blocked write
        doc.daily["n"] = 3
        saver = threading.Thread(target=store.save, args=(doc,))
        saver.start()
        wait_for(lambda: store._pending is None)  # save() has superseded state 2
        gate.release.set()
        saver.join(10)
        assert store.flush(timeout=10)
        assert gate.written == [1, 3]
        assert read_only_load(path).daily["n"] == 3


def test_close_writes_everything_handed_over(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    store = ProgressStore(path)
    doc = store.open()
    for n in range(1, 301):
        doc.daily["n"] = n
        doc.append_log(make_entry(n))
        store.save_soon(doc)
    store.close()
    saved = read_only_load(path)
    assert saved.daily["n"] == 300
    assert saved.log == [make_entry(n) for n in range(1, 301)]


def test_background_error_is_reported_then_cleared(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    reported: list[ProgressSaveError] = []
    store = ProgressStore(path, on_error=reported.append)
    doc = store.open()
    store.save(doc)
    path.unlink()
    path.mkdir()  # a folder now stands where the file goes
    doc.daily["n"] = 1
    store.save_soon(doc)
    with pytest.raises(ProgressSaveError, match="a folder is in the way"):
        store.flush(timeout=10)  # retries once, fails again
    assert isinstance(store.last_error, ProgressSaveError)
    assert "a folder is in the way" in str(store.last_error)
    wait_for(lambda: len(reported) == 1)
    assert reported[0].path == store.path
    path.rmdir()
    doc.daily["n"] = 2
    store.save_soon(doc)
    assert store.flush(timeout=10)
    assert store.last_error is None
    store.close()
    assert read_only_load(path).daily["n"] == 2


def test_flush_retries_a_failed_write_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "progress.json"
    real = store_module.atomic_write
    calls = {"n": 0}

    def fails_once(target: Path, text: str, **kwargs: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            raise ProgressSaveError(target, "the disk is full")
        real(target, text, **kwargs)

    monkeypatch.setattr(store_module, "atomic_write", fails_once)
    store = ProgressStore(path)
    doc = store.open()
    doc.daily["n"] = 7
    store.save_soon(doc)
    assert store.flush(timeout=10)
    assert calls["n"] == 2 and store.last_error is None
    store.close()
    assert read_only_load(path).daily["n"] == 7


def test_a_failing_callback_does_not_stop_the_writer(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"

    def explode(error: ProgressSaveError) -> None:
        raise RuntimeError("callback bug")

    store = ProgressStore(path, on_error=explode)
    doc = store.open()
    path.mkdir()
    store.save_soon(doc)
    with pytest.raises(ProgressSaveError):
        store.flush(timeout=10)
    path.rmdir()
    doc.daily["n"] = 5
    store.save_soon(doc)
    assert store.flush(timeout=10)
    store.close()
    assert read_only_load(path).daily["n"] == 5


def test_a_callback_that_waits_for_the_ui_does_not_stall_flush(tmp_path: Path) -> None:
    # Textual's call_from_thread blocks until the UI thread runs it; if that UI thread
    # is itself waiting in flush(), the writer must not be the one blocked.
    path = tmp_path / "progress.json"
    release = threading.Event()
    reported: list[ProgressSaveError] = []

    def waits_for_ui(error: ProgressSaveError) -> None:
        reported.append(error)
        release.wait(10)

    store = ProgressStore(path, on_error=waits_for_ui)
    doc = store.open()
    path.mkdir()
    store.save_soon(doc)
    wait_for(lambda: reported)
    path.rmdir()
    doc.daily["n"] = 3
    store.save_soon(doc)
    try:
        assert store.flush(timeout=5)
        assert read_only_load(path).daily["n"] == 3
    finally:
        release.set()
        store.close()


def test_close_reports_a_final_failure_and_still_releases_the_lock(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    store = ProgressStore(path)
    doc = store.open()
    path.mkdir()
    store.save_soon(doc)
    with pytest.raises(ProgressSaveError):
        store.close()
    assert not store.is_open
    with pytest.raises(ProgressUnreadable):  # not ProgressLocked: the lock is free
        ProgressStore(path).open()


EXIT_WITHOUT_CLOSE = """
import sys, time
from studyguide.progress import ProgressStore
from studyguide.progress import store as store_module
real = store_module.atomic_write
def slow(*args, **kwargs):
    time.sleep(0.05)
    real(*args, **kwargs)
store_module.atomic_write = slow
store = ProgressStore(sys.argv[1])
doc = store.open()
for n in range(1, 101):
    doc.daily["n"] = n
    store.save_soon(doc)
print("exiting with writes pending")
"""


def test_exiting_without_close_still_writes_the_last_state(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    result = run_child(EXIT_WITHOUT_CLOSE, str(path))
    assert result.returncode == 0, result.stderr
    assert "exiting" in result.stdout
    assert read_only_load(path).daily["n"] == 100


def test_a_late_write_of_an_older_state_is_skipped(tmp_path: Path) -> None:
    # The writer thread may take a snapshot off the queue and then lose the race for
    # the disk to a synchronous save of a newer state; it must then write nothing.
    path = tmp_path / "progress.json"
    with ProgressStore(path) as store:
        doc = store.open()
        doc.daily["n"] = 1
        older = doc.to_json()
        store.save_soon(doc)
        assert store.flush(timeout=10)
        doc.daily["n"] = 2
        store.save(doc)
        before = path.read_bytes()
        assert store._write(1, older) is None
        assert path.read_bytes() == before
        assert read_only_load(path).daily["n"] == 2
