"""Faults while saving: a full disk, a read-only or forbidden folder, the folder deleted,
a file where the folder should be, a folder where the file should be.

For each, in the running app and in ``ProgressStore``: the learner is told plainly and the
file is named, the last good save on disk stays byte for byte, the app keeps working, and
once the fault clears the next save writes everything answered meanwhile. A quit while
the fault lasts is reported, not a crash. A real full disk or read-only mount is not
available here (and root ignores permissions), so those failures are injected into
``studyguide.progress.atomic``'s own ``os`` and ``tempfile``; the others are made for real.
"""

from __future__ import annotations

import errno
import io
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from rich.console import Console

from studyguide.progress import ProgressSaveError, ProgressStore, atomic
from studyguide.tui import app as app_module
from studyguide.tui.app import StudyApp, run_app
from studyguide.tui.screens.dashboard import DashboardScreen
from studyguide.tui.screens.review import ReviewScreen
from tests.tui.conftest import AppFactory

SIZE = (80, 24)


@pytest.fixture
def make_app(tmp_path):
    factory = AppFactory(tmp_path)
    yield factory
    factory.close()


# --- injected OS failures ------------------------------------------------------------


class Faults:
    """Makes one call made inside ``studyguide.progress.atomic`` fail with an OSError.
    Only that module sees the change: the app, Textual and the test keep the real os."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.active: dict[str, int] = {}
        self.hits = 0
        monkeypatch.setattr(atomic, "os", _FaultyModule(os, self))
        monkeypatch.setattr(atomic, "tempfile", _FaultyModule(tempfile, self))

    def inject(self, call: str, errnum: int) -> None:
        self.active = {call: errnum}

    def clear(self) -> None:
        self.active = {}


class _FaultyModule:
    def __init__(self, module, faults: Faults) -> None:
        self._module, self._faults = module, faults

    def __getattr__(self, name: str):
        real = getattr(self._module, name)
        errnum = self._faults.active.get(f"{self._module.__name__}.{name}")
        if errnum is None:
            return real

        def failing(*args, **kwargs):
            self._faults.hits += 1
            if name == "write":  # a full disk takes part of the data first
                real(args[0], bytes(args[1][:7]))
            raise OSError(errnum, os.strerror(errnum), kwargs.get("dir"))

        return failing


@pytest.fixture
def faults(monkeypatch):
    injected = Faults(monkeypatch)
    yield injected
    injected.clear()  # before make_app closes its stores


# --- the faults tried --------------------------------------------------------------


@dataclass
class Fault:
    """Starts and stops one fault for the progress file at ``path``; ``kept`` is where
    the last good save sits meanwhile, ``reason`` the words the learner must see."""

    reason: str
    start: Callable[[Path, Faults], None]
    stop: Callable[[Path, Faults], None]
    kept: Callable[[Path], Path] = lambda path: path


def injected(call: str, errnum: int, reason: str) -> Fault:
    return Fault(
        reason,
        lambda path, f: f.inject(call, errnum),
        lambda path, f: f.clear(),
    )


def _moved(path: Path) -> Path:
    return path.with_name(path.name + ".moved")


def _folder_aside(path: Path) -> Path:
    return path.parent.with_name(path.parent.name + ".moved") / path.name


def _file_for_folder(path: Path, _f: Faults) -> None:
    path.parent.rename(_folder_aside(path).parent)
    path.parent.write_text("not a folder")


def _folder_back(path: Path, _f: Faults) -> None:
    path.parent.unlink()
    _folder_aside(path).parent.rename(path.parent)


def _folder_for_file(path: Path, _f: Faults) -> None:
    path.rename(_moved(path))
    path.mkdir()


def _file_back(path: Path, _f: Faults) -> None:
    path.rmdir()
    _moved(path).rename(path)


FAULTS = {
    "disk-full-on-write": injected("os.write", errno.ENOSPC, "the disk is full"),
    "disk-full-on-fsync": injected("os.fsync", errno.ENOSPC, "the disk is full"),
    "quota-on-write": injected("os.write", errno.EDQUOT, "the disk quota is used up"),
    "read-only-disk": injected("tempfile.mkstemp", errno.EROFS, "the disk is read-only"),
    "permission-denied": injected("tempfile.mkstemp", errno.EACCES, "permission denied"),
    "rename-refused": injected("os.replace", errno.EPERM, "the operation is not permitted"),
    "folder-is-a-file": Fault(
        "part of the path is a file, not a folder", _file_for_folder, _folder_back, _folder_aside
    ),
    "file-is-a-folder": Fault("a folder is in the way", _folder_for_file, _file_back, _moved),
}


# --- helpers ---------------------------------------------------------------------------


def terminal(app) -> str:
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True)
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text()


async def answer(pilot, count: int) -> None:
    """Answer `count` questions in the review session (the test course's are single)."""
    screen = pilot.app.screen
    assert isinstance(screen, ReviewScreen)
    for _ in range(count):
        before = screen.session.stats.answered
        await pilot.press("1")
        assert screen.session.stats.answered == before + 1
        await pilot.press("enter")
    await pilot.pause()


async def saved(app, pilot) -> None:
    """Let the app hand its last state to the saver, then wait until it is on disk."""
    await pilot.pause()
    await pilot.pause()
    assert app.store.flush(timeout=10)


def errors_shown(app) -> list:
    return [n for n in app._notifications if n.severity == "error"]


async def wait_for_error(app, pilot, timeout: float = 10) -> list:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        await pilot.pause(0.05)
        if errors_shown(app):
            await pilot.pause(0.1)  # let the toast draw
            return errors_shown(app)
    raise AssertionError("no error notification reached the learner")


def log_on_disk(path: Path) -> list[dict]:
    return json.loads(path.read_text())["log"]


def log_in_memory(app) -> list[dict]:
    return json.loads(json.dumps(app.study.doc.log))


def temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def wait_until(check: Callable[[], bool], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


# --- the running app ----------------------------------------------------------------


@pytest.mark.parametrize("name", FAULTS)
async def test_app_reports_keeps_the_file_and_saves_everything_after(make_app, faults, name):
    fault = FAULTS[name]
    app = make_app()
    path = make_app.progress
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("r")
        await answer(pilot, 2)
        await saved(app, pilot)
        good = path.read_bytes()
        assert len(json.loads(good)["log"]) == 2

        fault.start(path, faults)
        await answer(pilot, 3)
        shown = await wait_for_error(app, pilot)
        for note in shown:
            assert note.title == "Progress not saved"
            assert str(path) in note.message and fault.reason in note.message
            assert "kept in memory" in note.message
        assert "Progress not saved" in terminal(app)  # the toast is on the screen
        assert fault.kept(path).read_bytes() == good
        assert temp_files(fault.kept(path).parent) == []
        assert app.is_running and isinstance(app.screen, ReviewScreen)
        assert len(app.study.doc.log) == 5

        # Still working: more answers, the dashboard, back to reviewing.
        await answer(pilot, 1)
        await pilot.press("q", "escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert fault.kept(path).read_bytes() == good

        fault.stop(path, faults)
        await pilot.press("r")
        await answer(pilot, 1)
        await saved(app, pilot)
        assert log_on_disk(path) == log_in_memory(app)
        assert len(log_on_disk(path)) == 7
        assert app.store.last_error is None
        assert temp_files(path.parent) == []
    app.store.close()
    assert log_on_disk(path) == log_in_memory(app)


async def test_folder_deleted_while_running_is_made_again(make_app):
    app = make_app()
    path = make_app.progress
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("r")
        await answer(pilot, 2)
        await saved(app, pilot)
        shutil.rmtree(path.parent)
        await answer(pilot, 2)
        await saved(app, pilot)
        assert errors_shown(app) == []
        assert path.parent.stat().st_mode & 0o777 == 0o700
        assert path.stat().st_mode & 0o777 == 0o600
        assert log_on_disk(path) == log_in_memory(app)
        assert len(log_on_disk(path)) == 4
        assert app.is_running


async def test_a_path_with_brackets_is_named_exactly_and_does_not_crash_the_app(make_app, faults):
    """The notice shows the path as it is: markup characters in a folder name are not
    applied (they would hide part of the name, and `[/]` would crash the app)."""
    make_app.progress = make_app.progress.parent / "notes [/] [bold]x[/bold] $accent" / "p.json"
    app = make_app()
    path = make_app.progress
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("r")
        await answer(pilot, 1)
        await saved(app, pilot)
        faults.inject("os.write", errno.ENOSPC)
        await answer(pilot, 1)
        shown = await wait_for_error(app, pilot)
        assert str(path) in shown[0].message
        toast = [line.split("▌", 1)[1] for line in terminal(app).splitlines() if "▌" in line]
        assert "".join(str(path).split()) in "".join("".join(toast).split())
        await answer(pilot, 1)
        assert app.is_running
        faults.clear()
        await answer(pilot, 1)
        await saved(app, pilot)
        assert len(log_on_disk(path)) == 4


# --- quitting while the fault lasts ---------------------------------------------------


async def test_quit_with_a_pending_fault_is_reported_by_closing_the_store(make_app, faults):
    app = make_app()
    path = make_app.progress
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("r")
        await answer(pilot, 1)
        await saved(app, pilot)
        good = path.read_bytes()
        faults.inject("os.write", errno.ENOSPC)
        await answer(pilot, 2)
        await pilot.press("q", "q")  # end the session, then quit from the summary
        await pilot.pause()
    assert app.return_code == 0  # a clean quit: on_unmount's flush did not raise
    with pytest.raises(ProgressSaveError) as info:
        app.store.close()
    assert str(path) in str(info.value) and "the disk is full" in str(info.value)
    assert not app.store.is_open
    assert path.read_bytes() == good
    assert temp_files(path.parent) == []
    faults.clear()
    with ProgressStore(path) as again:  # the lock was let go
        assert len(again.open().log) == 1


def test_run_app_reports_a_save_that_failed_on_quit(tmp_path, faults, monkeypatch, capsys):
    root = tmp_path / "course"
    AppFactory(tmp_path)  # writes the test course to tmp_path / "course"
    path = tmp_path / "data" / "progress.json"
    with ProgressStore(path) as store:
        store.save(store.open())
    good = path.read_bytes()
    answered: list[int] = []

    async def learner(pilot) -> None:
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        faults.inject("os.write", errno.ENOSPC)
        await answer(pilot, 2)
        await wait_for_error(pilot.app, pilot)
        answered.append(len(pilot.app.study.doc.log))
        pilot.app.exit()

    real_run = StudyApp.run

    def run_headless(self, **_kwargs):
        return real_run(self, headless=True, size=SIZE, auto_pilot=learner)

    monkeypatch.setattr(app_module.StudyApp, "run", run_headless)
    code = run_app([root], path)
    err = capsys.readouterr().err
    assert answered == [2]
    assert code == 1
    assert f"studyguide: Could not save your progress to {path}: the disk is full" in err
    assert "Traceback" not in err and "callback failed" not in err
    assert path.read_bytes() == good
    faults.clear()
    with ProgressStore(path) as again:  # not left locked
        again.open()


# --- ProgressStore on its own -------------------------------------------------------


@pytest.mark.parametrize("name", FAULTS)
def test_store_reports_keeps_the_file_and_recovers(tmp_path, faults, name):
    fault = FAULTS[name]
    path = tmp_path / "data" / "progress.json"
    reported: list[ProgressSaveError] = []
    store = ProgressStore(path, on_error=reported.append)
    doc = store.open()

    def add(n: int) -> None:
        doc.append_log(
            {
                "qid": f"q{n}",
                "time": f"2026-01-13T15:00:{n:02d}+00:00",
                "rating": 3,
                "picked": ["[bold]x[/]"],
                "correct": True,
                "ms": 1000,
            }
        )

    add(1)
    store.save(doc)
    add(2)
    store.save(doc)
    good = path.read_bytes()

    fault.start(path, faults)
    add(3)
    with pytest.raises(ProgressSaveError) as info:
        store.save(doc)
    message = str(info.value)
    assert message.startswith(f"Could not save your progress to {path}: {fault.reason}")
    assert "the previous file was left as it was" in message
    add(4)
    store.save_soon(doc)
    with pytest.raises(ProgressSaveError):
        store.flush(timeout=10)  # tries once more, fails again
    wait_until(lambda: len(reported) >= 1)
    assert all(fault.reason in str(e) for e in reported)
    assert isinstance(store.last_error, ProgressSaveError)
    assert fault.kept(path).read_bytes() == good
    assert temp_files(fault.kept(path).parent) == []

    fault.stop(path, faults)
    add(5)
    store.save_soon(doc)
    assert store.flush(timeout=10)
    assert store.last_error is None
    assert [e["qid"] for e in json.loads(path.read_text())["log"]] == [f"q{n}" for n in range(1, 6)]
    store.close()


def test_store_remakes_a_deleted_folder(tmp_path):
    path = tmp_path / "data" / "progress.json"
    with ProgressStore(path) as store:
        doc = store.open()
        store.save(doc)
        shutil.rmtree(path.parent)
        doc.daily["n"] = 1
        store.save_soon(doc)
        assert store.flush(timeout=10)
        assert json.loads(path.read_text())["daily"] == {"n": 1}
        assert path.parent.stat().st_mode & 0o777 == 0o700


def test_store_close_with_a_pending_fault_reports_it_and_lets_go(tmp_path, faults):
    path = tmp_path / "data" / "progress.json"
    store = ProgressStore(path)
    doc = store.open()
    store.save(doc)
    good = path.read_bytes()
    faults.inject("os.fsync", errno.ENOSPC)
    doc.daily["n"] = 1
    store.save_soon(doc)
    with pytest.raises(ProgressSaveError, match="the disk is full"):
        store.close()
    assert path.read_bytes() == good
    faults.clear()
    with ProgressStore(path) as again:
        assert again.open().daily == {}


def test_a_fault_never_blocks_the_caller(tmp_path, faults):
    """save_soon returns at once even while every write fails (the UI thread calls it)."""
    path = tmp_path / "data" / "progress.json"
    reported: list[ProgressSaveError] = []
    with ProgressStore(path, on_error=reported.append) as store:
        doc = store.open()
        faults.inject("os.write", errno.ENOSPC)
        started = time.monotonic()
        for n in range(50):
            doc.daily["n"] = n
            store.save_soon(doc)
        assert time.monotonic() - started < 2
        with pytest.raises(ProgressSaveError):
            store.flush(timeout=10)
        wait_until(lambda: len(reported) >= 1)
        assert len(reported) <= 50  # one report per failed write; waiting ones were merged
        faults.clear()
        store.save_soon(doc)
        assert store.flush(timeout=10)
        assert json.loads(path.read_text())["daily"] == {"n": 49}
