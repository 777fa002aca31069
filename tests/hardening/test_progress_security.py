"""The progress folder under attack and under stress: planted symbolic links, another
user's files, a world-writable folder, a deleted lock file, killed writers' temp files,
file modes, and a learner faster than the disk.

"Another user" is a real unprivileged process: when the tests run as root, a forked
child drops to uid/gid 65534 (nobody) with ``os.setuid``; without root, those tests are
skipped (no second user exists to act as).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from studyguide.progress import (
    ProgressLocked,
    ProgressSaveError,
    ProgressStore,
    ProgressUnreadable,
    atomic,
)
from studyguide.progress import store as store_module
from studyguide.progress.safety import _WARNED
from studyguide.tui.screens.review import ReviewScreen
from tests.progress.progress_helpers import child_env, sample_document

NOBODY = 65534
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
needs_root = pytest.mark.skipif(not IS_ROOT, reason="needs root to act as a second user")
SIZE = (80, 24)


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def as_other_user(action: Callable[[], object]) -> object:
    """Run ``action`` in a forked child as uid/gid 65534; returns what it returned (or
    the text of the exception it raised)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read)
        try:
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            try:
                result = ("ok", action())
            except BaseException as exc:  # report everything to the parent
                result = ("error", f"{type(exc).__name__}: {exc}")
            os.write(write, json.dumps(result, default=str).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        text = pipe.read()
    os.waitpid(pid, 0)
    return tuple(json.loads(text))


@pytest.fixture
def shared():
    """A /tmp-like folder everybody can write to (sticky, 1777), where a second user can
    reach it (pytest's own tmp folders are private to root)."""
    top = Path(tempfile.mkdtemp(prefix="studyguide-shared-"))
    top.chmod(0o755)
    folder = top / "shared"
    folder.mkdir()
    folder.chmod(0o1777)
    _WARNED.clear()
    yield folder
    shutil.rmtree(top)


# --- planted symbolic links ------------------------------------------------------------


def test_a_lock_symlink_is_refused_and_its_target_untouched(tmp_path: Path) -> None:
    victim = tmp_path / "victims-thesis.txt"
    victim.write_text("years of work")
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "progress.json.lock").symlink_to(victim)
    store = ProgressStore(folder / "progress.json")
    with pytest.raises(ProgressSaveError, match="is a symbolic link; studyguide will not follow"):
        store.open()
    assert victim.read_text() == "years of work"
    assert not (folder / "progress.json").exists()


def test_a_dangling_lock_symlink_creates_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    target = tmp_path / "elsewhere" / "made-by-link"
    target.parent.mkdir()
    (folder / "progress.json.lock").symlink_to(target)
    with pytest.raises(ProgressSaveError, match="symbolic link"):
        ProgressStore(folder / "progress.json").open()
    assert not target.exists()


def test_a_hard_link_at_the_lock_is_refused(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    folder = tmp_path / "data"
    folder.mkdir()
    os.link(victim, folder / "progress.json.lock")
    with pytest.raises(ProgressSaveError, match="has other names"):
        ProgressStore(folder / "progress.json").open()
    assert victim.read_text() == "keep me"


def test_a_backup_symlink_is_replaced_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "progress.json"
    path.write_text(sample_document().to_json())
    (folder / "progress.json.bak").symlink_to(victim)
    with ProgressStore(path) as store:
        doc = store.open()
        store.save(doc)
    assert victim.read_text() == "keep me"
    backup = folder / "progress.json.bak"
    assert not backup.is_symlink() and mode(backup) == 0o600
    assert json.loads(backup.read_text())["schema_version"] == 1


def test_restore_refuses_a_backup_that_is_a_symlink(tmp_path: Path) -> None:
    secret = tmp_path / "someone-elses.json"
    secret.write_text(sample_document().to_json())
    path = tmp_path / "progress.json"
    path.write_text("{broken")
    (tmp_path / "progress.json.bak").symlink_to(secret)
    store = ProgressStore(path)
    with pytest.raises(ProgressUnreadable):
        store.open()
    with pytest.raises(Exception, match="symbolic link"):
        store.restore_backup()
    assert path.read_text() == "{broken"


def test_temp_files_are_never_opened_through_a_planted_link(tmp_path: Path) -> None:
    """Temp names are random and created with O_EXCL|O_NOFOLLOW: a link planted at any
    name a guesser might pick is never written through."""
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    folder = tmp_path / "data"
    folder.mkdir()
    for i in range(50):
        (folder / f".progress-{os.getpid()}-{i:08x}.tmp").symlink_to(victim)
    with ProgressStore(folder / "progress.json") as store:
        doc = store.open()
        for _ in range(5):
            store.save(doc)
    assert victim.read_text() == "keep me"


# --- modes -------------------------------------------------------------------------------


def test_a_hand_made_0644_file_and_its_backup_become_0600(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    path.write_text(sample_document().to_json())
    path.chmod(0o644)
    with ProgressStore(path) as store:
        doc = store.open()
        store.save(doc)
        assert mode(path) == 0o600
        assert mode(tmp_path / "progress.json.bak") == 0o600
        store.save(doc)
    assert mode(path) == 0o600 and mode(tmp_path / "progress.json.bak") == 0o600


def test_export_writes_0600_and_never_through_a_link(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    path.write_text(sample_document().to_json())
    out = tmp_path / "export.json"

    def export(target: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "studyguide",
                "progress",
                "export",
                str(target),
                "--progress",
                str(path),
            ],
            capture_output=True,
            text=True,
            env=child_env(),
            stdin=subprocess.DEVNULL,
            timeout=60,
        )

    old = os.umask(0o022)
    try:
        done = export(out)
    finally:
        os.umask(old)
    assert done.returncode == 0, done.stderr
    assert mode(out) == 0o600
    assert json.loads(out.read_text())["schema_version"] == 1

    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    link = tmp_path / "link.json"
    link.symlink_to(victim)
    done = export(link)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert victim.read_text() == "keep me"
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "would-be-created")
    assert export(dangling).returncode == 2
    assert not (tmp_path / "would-be-created").exists()


# --- shared folders and other users ---------------------------------------------------------


def test_a_world_writable_folder_is_warned_about_once(shared: Path) -> None:
    path = shared / "progress.json"
    with ProgressStore(path) as store:
        doc = store.open()
        assert len(doc.warnings) == 1
        assert "can be written by every user" in doc.warnings[0]
        assert str(shared) in doc.warnings[0]
    with ProgressStore(path) as store:
        assert store.open().warnings == []  # once per folder and process


def test_a_private_folder_gets_no_warning(tmp_path: Path) -> None:
    _WARNED.clear()
    folder = tmp_path / "mine"
    folder.mkdir(mode=0o700)
    with ProgressStore(folder / "progress.json") as store:
        assert store.open().warnings == []


@needs_root
def test_a_lock_file_another_user_made_is_refused_by_owner_not_pid(shared: Path) -> None:
    """The other user pre-creates the lock with a process id of their choosing and holds
    it: the learner is told whose file it is, not sent hunting for that process."""
    lock = shared / "progress.json.lock"

    def plant() -> str:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        os.write(fd, b"1")  # "process 1 is using your progress"
        os.close(fd)
        return "planted"

    assert as_other_user(plant) == ("ok", "planted")
    victim_view = as_other_user(lambda: None)  # the other user works
    assert victim_view == ("ok", None)
    with pytest.raises(ProgressSaveError) as info:
        ProgressStore(shared / "progress.json").open()
    message = str(info.value)
    assert "belongs to another user (uid 65534)" in message
    assert "process 1" not in message


@needs_root
def test_a_learner_refuses_progress_files_planted_by_another_user(shared: Path) -> None:
    """Root plants progress.json in the shared folder; the learner (uid 65534) is told
    the file is not theirs and nothing is written."""
    path = shared / "progress.json"
    path.write_text(sample_document().to_json())
    path.chmod(0o644)
    before = path.read_bytes()

    def open_it() -> str:
        store = ProgressStore(path)
        try:
            store.open()
        except ProgressUnreadable as exc:
            return exc.reason
        return "opened"

    status, reason = as_other_user(open_it)
    assert status == "ok" and "belongs to another user (uid 0)" in reason, reason
    assert path.read_bytes() == before


@needs_root
def test_a_planted_lock_symlink_in_a_shared_folder_spares_the_victims_file(shared: Path):
    """The attack of issue 9, with two real users: nobody plants a link to root's file."""
    victim = shared.parent / "roots-file.txt"
    victim.write_text("root's data")
    assert as_other_user(lambda: (shared / "progress.json.lock").symlink_to(victim)) == (
        "ok",
        None,
    )
    with pytest.raises(ProgressSaveError, match="symbolic link"):
        ProgressStore(shared / "progress.json").open()
    assert victim.read_text() == "root's data"


# --- a deleted lock file --------------------------------------------------------------------


def test_a_deleted_lock_file_is_made_again_before_the_next_save(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    lock = tmp_path / "progress.json.lock"
    with ProgressStore(path) as first:
        doc = first.open()
        lock.unlink()
        doc.daily["n"] = 1
        first.save(doc)  # notices, and locks a new lock file first
        assert lock.exists()
        with pytest.raises(ProgressLocked):
            ProgressStore(path).open()
        doc.daily["n"] = 2
        first.save(doc)
    assert json.loads(path.read_text())["daily"]["n"] == 2


def test_an_idle_app_remakes_a_deleted_lock_file_within_seconds(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    lock = tmp_path / "progress.json.lock"
    with ProgressStore(path) as first:
        doc = first.open()
        first.save_soon(doc)  # the writer thread runs, as in the app
        first.flush()
        lock.unlink()
        deadline = time.monotonic() + 3 * store_module.LOCK_CHECK_SECONDS + 2
        while not lock.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert lock.exists(), "the lock file was not made again"
        with pytest.raises(ProgressLocked):
            ProgressStore(path).open()


SECOND = """
import sys, json
from studyguide.progress import ProgressStore
store = ProgressStore(sys.argv[1])
doc = store.open()
for n in range(3):
    doc.daily.setdefault("second", []).append(n)
    store.save(doc)
print("saved", flush=True)
sys.stdin.readline()
store.close()
"""


def test_after_a_takeover_the_first_app_stops_saving_and_says_why(tmp_path: Path) -> None:
    """The lock file is deleted and a second studyguide gets in before the first notices:
    the first then refuses to save over the second's work, and says so."""
    path = tmp_path / "progress.json"
    lock = tmp_path / "progress.json.lock"
    with ProgressStore(path) as first:
        doc = first.open()
        first.save(doc)
        lock.unlink()
        second = subprocess.Popen(
            [sys.executable, "-c", SECOND, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=child_env(),
        )
        try:
            assert second.stdout.readline().strip() == "saved", second.stderr.read()
            doc.daily["first"] = 1
            with pytest.raises(ProgressSaveError, match=r"another studyguide .* has opened"):
                first.save(doc)
            assert json.loads(path.read_text())["daily"]["second"] == [0, 1, 2]
            assert "first" not in json.loads(path.read_text())["daily"]
        finally:
            second.communicate("\n", timeout=30)
        # The second one has gone; the first still never writes over its answers.
        with pytest.raises(ProgressSaveError, match="will not save over it"):
            first.close()
    daily = json.loads(path.read_text())["daily"]
    assert daily["second"] == [0, 1, 2] and "first" not in daily


def test_a_second_instance_that_came_and_went_is_not_overwritten(tmp_path: Path) -> None:
    """The lock file is deleted; a second studyguide opens, saves and quits before the
    first saves again. The first must still not write over what the second saved."""
    path = tmp_path / "progress.json"
    with ProgressStore(path) as first:
        doc = first.open()
        first.save(doc)
        (tmp_path / "progress.json.lock").unlink()
        code = SECOND.replace("sys.stdin.readline()\n", "")
        done = subprocess.run(
            [sys.executable, "-c", code, str(path)],
            capture_output=True,
            text=True,
            env=child_env(),
            timeout=60,
            stdin=subprocess.DEVNULL,
        )
        assert done.stdout.strip() == "saved", done.stderr
        doc.daily["first"] = 1
        with pytest.raises(ProgressSaveError, match="will not save over it"):
            first.save(doc)
        with pytest.raises(ProgressSaveError):
            first.close()
    daily = json.loads(path.read_text())["daily"]
    assert daily["second"] == [0, 1, 2] and "first" not in daily


# --- temp files killed writers leave ----------------------------------------------------------

KILLED_WRITER = """
import os, sys, tempfile
fd, name = tempfile.mkstemp(dir=sys.argv[1], prefix=".progress-%d-" % os.getpid(),
                            suffix=".tmp")
os.write(fd, b"x" * 100000)
print(name, flush=True)
sys.stdin.readline()
"""


def test_temp_files_of_killed_writers_go_on_open_whatever_their_age(tmp_path: Path) -> None:
    names = []
    for _ in range(5):
        child = subprocess.Popen(
            [sys.executable, "-c", KILLED_WRITER, str(tmp_path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        names.append(Path(child.stdout.readline().strip()))
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=30)
    assert all(n.exists() for n in names)
    with ProgressStore(tmp_path / "progress.json") as store:
        store.open()
    assert not any(n.exists() for n in names)


def test_a_live_writers_temp_file_is_kept(tmp_path: Path) -> None:
    """Another process saving another progress file in the same folder right now."""
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(tmp_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        name = Path(child.stdout.readline().strip())
        with ProgressStore(tmp_path / "progress.json") as store:
            store.open()
        assert name.exists()
    finally:
        child.communicate("\n", timeout=30)


def test_a_temp_file_whose_writer_holds_its_flock_is_kept_even_if_old(tmp_path: Path) -> None:
    import fcntl

    old = tmp_path / ".progress-999999999-abc.tmp"  # a process id nobody has
    fd = os.open(old, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.utime(old, (1_000_000, 1_000_000))
        assert atomic.remove_stale_temps(tmp_path) == 0
        assert old.exists()
    finally:
        os.close(fd)
    assert atomic.remove_stale_temps(tmp_path) == 1
    assert not old.exists()


@pytest.mark.slow
def test_a_kill_loop_leaves_no_pile_of_temp_files(tmp_path: Path) -> None:
    """Issue 9 found 353 temp files (675 MB) after a kill loop. Now each open clears them."""
    path = tmp_path / "progress.json"
    doc = sample_document(log_entries=2000)
    path.write_text(doc.to_json())
    saver = (
        "import sys\nfrom studyguide.progress import ProgressStore\n"
        "s = ProgressStore(sys.argv[1]); d = s.open()\nprint('open', flush=True)\n"
        "while True:\n    d.daily['n'] = d.daily.get('n', 0) + 1; s.save(d)\n"
    )
    for i in range(60):
        child = subprocess.Popen(
            [sys.executable, "-c", saver, str(path)], stdout=subprocess.PIPE, env=child_env()
        )
        child.stdout.readline()
        time.sleep(0.01 * (i % 7))
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=30)
    with ProgressStore(path) as store:
        store.open()
    assert [p.name for p in tmp_path.glob(".progress-*.tmp")] == []


# --- a learner faster than the disk -----------------------------------------------------------


async def test_the_app_shows_an_answer_only_once_the_one_before_is_saved(
    make_app, monkeypatch
) -> None:
    """A slow disk (each write takes 0.4 s) and two answers in quick succession: when the
    second answer's feedback is on screen, the first is already in the file."""
    real = store_module.atomic_write

    def slow_disk(path, data, **kwargs):
        time.sleep(0.4)
        real(path, data, **kwargs)

    monkeypatch.setattr(store_module, "atomic_write", slow_disk)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("enter", "1")
        await pilot.pause()
        assert len(app.study.doc.log) == 2  # both answers shown
        on_disk = json.loads(make_app.progress.read_text()) if make_app.progress.exists() else {}
        assert len(on_disk.get("log", [])) >= 1
        await pilot.press("q", "q")
    app.store.close()
    assert len(json.loads(make_app.progress.read_text())["log"]) == 2


@pytest.fixture
def make_app(tmp_path):
    from tests.tui.conftest import AppFactory

    factory = AppFactory(tmp_path)
    yield factory
    factory.close()
