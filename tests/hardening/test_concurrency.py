"""Several processes on one progress file: the real app in a terminal (tmux) against a
second app, against `studyguide stats` reading during a burst of answers, and stores in
separate processes racing for the lock."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.factories import write_course

ROOT = Path(__file__).resolve().parents[2]
needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def env() -> dict[str, str]:
    """The environment of every child: the test's isolated folders, this checkout."""
    out = dict(os.environ)
    out["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), out.get("PYTHONPATH")) if p)
    return out


def studyguide(*args: str, timeout: float = 30) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "studyguide", *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env=env(),
        cwd=ROOT,
        timeout=timeout,
    )


class Tmux:
    def __init__(self, name: str) -> None:
        self.name = name

    def run(self, *args: str) -> str:
        return subprocess.run(["tmux", *args], capture_output=True, text=True, timeout=10).stdout

    def start(self, command: list[str]) -> None:
        exports = " ".join(
            f"{k}={v}"
            for k, v in env().items()
            if k in {"HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "STUDYGUIDE_CACHE", "PYTHONPATH"}
        )
        self.run(
            "new-session", "-d", "-s", self.name, "-x", "80", "-y", "24", "-c", str(ROOT),
            f"env {exports} {' '.join(command)}",
        )  # fmt: skip

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.name)

    def pid(self) -> int:
        return int(self.run("display-message", "-p", "-t", self.name, "#{pane_pid}").strip())

    def alive(self) -> bool:
        check = subprocess.run(["tmux", "has-session", "-t", self.name], capture_output=True)
        return check.returncode == 0

    def send(self, *keys: str) -> None:
        self.run("send-keys", "-t", self.name, *keys)

    def wait_for(self, *needles: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if any(n in screen for n in needles):
                return screen
            time.sleep(0.05)
        raise AssertionError(f"none of {needles} appeared; screen was:\n{self.screen()}")

    def wait_gone(self, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while self.alive() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not self.alive(), f"the app did not quit; screen was:\n{self.screen()}"


@pytest.fixture
def tmux(tmp_path):
    session = Tmux(f"studyguide-hardening-{os.getpid()}-{tmp_path.name}")
    yield session
    if session.alive():
        session.run("kill-session", "-t", session.name)


@pytest.fixture
def course(tmp_path) -> Path:
    root = tmp_path / "course"
    write_course(root)  # single-answer questions only: "1" always answers
    return root


QUESTION = "Press 1-"
FEEDBACK = ("✔ Right", "✘ Wrong")


def answer_one(tmux: Tmux) -> None:
    tmux.wait_for(QUESTION)
    tmux.send("1")
    tmux.wait_for(*FEEDBACK)
    tmux.send("Enter")


def log_length(path: Path) -> int:
    try:
        return len(json.loads(path.read_text())["log"])
    except (FileNotFoundError, KeyError):
        return 0


def wait_for_log(path: Path, length: int, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while log_length(path) != length:
        assert time.monotonic() < deadline, f"the file never held {length} answers"
        time.sleep(0.05)


def folder_state(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def quit_app(tmux: Tmux) -> None:
    tmux.wait_for(QUESTION)
    tmux.send("q")
    tmux.wait_for("Session finished")
    tmux.send("q")
    tmux.wait_gone()


# --- two apps -----------------------------------------------------------------------


@needs_tmux
def test_a_second_app_is_refused_and_touches_nothing(tmux, tmp_path, course):
    progress = tmp_path / "data" / "progress.json"
    tmux.start([sys.executable, "-m", "studyguide", "--content", str(course), "--progress", str(progress)])  # fmt: skip
    tmux.wait_for("new available")
    tmux.send("r")
    for _ in range(2):
        answer_one(tmux)
    wait_for_log(progress, 2)
    tmux.wait_for(QUESTION)
    before = folder_state(progress.parent)

    second = studyguide("--content", str(course), "--progress", str(progress))
    assert second.returncode == 1
    assert "already using the progress file" in second.stderr
    assert str(progress) in second.stderr
    assert f"(process {tmux.pid()})" in second.stderr  # names the one holding it
    assert "Traceback" not in second.stderr and second.stdout == ""
    assert folder_state(progress.parent) == before

    # The first carries on, and everything it was given is saved.
    assert tmux.alive()
    for _ in range(3):
        answer_one(tmux)
    quit_app(tmux)
    saved = json.loads(progress.read_text())
    assert len(saved["log"]) == 5
    assert len({entry["time"] for entry in saved["log"]}) == 5

    # With the first one gone, the lock is free again.
    third = studyguide("stats", "--json", "--content", str(course), "--progress", str(progress))
    assert third.returncode == 0 and json.loads(third.stdout)["reviews_today"] == 5


# --- an app and stats -------------------------------------------------------------------

BURST = 12  # fewer than the 15 new questions a day, so the session never runs out


@needs_tmux
def test_stats_reads_whole_files_during_a_burst_of_answers(tmux, tmp_path, course):
    progress = tmp_path / "data" / "progress.json"
    tmux.start([sys.executable, "-m", "studyguide", "--content", str(course), "--progress", str(progress)])  # fmt: skip
    tmux.wait_for("new available")
    tmux.send("r")
    tmux.wait_for(QUESTION)

    # Besides stats, a thread reads the raw file back to back the whole time, so some
    # reads land while the app is replacing it.
    lengths: list[int] = []  # the log length of each raw read
    problems: list[str] = []
    stop = threading.Event()

    def read_raw() -> None:
        while not stop.is_set():
            try:
                data = progress.read_bytes()
            except FileNotFoundError:
                continue
            try:
                doc = json.loads(data)
                assert doc["schema_version"] == 1
                assert all(set(e) >= {"qid", "time", "rating", "picked"} for e in doc["log"])
                lengths.append(len(doc["log"]))
            except (ValueError, KeyError, AssertionError) as exc:
                problems.append(f"{exc!r}: {data[-200:]!r}")

    reader = threading.Thread(target=read_raw, daemon=True)
    reader.start()
    seen: list[int] = []  # reviews_today from each stats run
    try:
        for n in range(BURST):
            tmux.send("1", "Enter")  # answer and go on, without waiting for the screen
            if n % 2:
                out = studyguide("stats", "--json", "--content", str(course), "--progress", str(progress))  # fmt: skip
                assert out.returncode == 0, out.stderr
                assert out.stderr == ""
                seen.append(json.loads(out.stdout)["reviews_today"])
            time.sleep(0.05)
        wait_for_log(progress, BURST)
    finally:
        stop.set()
        reader.join(timeout=10)
    assert problems == []
    assert len(seen) == BURST // 2 and len(lengths) > 100
    assert seen == sorted(seen) and all(0 <= s <= BURST for s in seen)
    assert lengths == sorted(lengths) and lengths[-1] == BURST
    assert len(set(lengths)) > 2  # the reads saw the file grow

    quit_app(tmux)
    saved = json.loads(progress.read_text())
    assert len(saved["log"]) == BURST
    assert len({entry["qid"] for entry in saved["log"]}) == BURST
    final = studyguide("stats", "--json", "--content", str(course), "--progress", str(progress))
    assert json.loads(final.stdout)["reviews_today"] == BURST


# --- stores in separate processes --------------------------------------------------

CONTENDER = """
import os, sys, time
from pathlib import Path
from studyguide.progress import ProgressLocked, ProgressStore

path, go, release = map(Path, sys.argv[1:4])
deadline = time.monotonic() + 60  # never outlive a test that failed
store = ProgressStore(path)
while not go.exists() and time.monotonic() < deadline:
    time.sleep(0.001)
try:
    doc = store.open()
except ProgressLocked as exc:
    print("locked", exc.holder, str(exc), flush=True)
    sys.exit(0)
print("won", os.getpid(), flush=True)
doc.daily["winner"] = os.getpid()
store.save(doc)
while not release.exists() and time.monotonic() < deadline:
    time.sleep(0.005)
store.close()
"""

RACES = 8
CONTENDERS = 4


def race(path: Path, go: Path, release: Path) -> tuple[str, list[tuple[str, str]]]:
    """Start the contenders, let them go at once; returns the winner's process id and
    each loser's (holder, message)."""
    children = [
        subprocess.Popen(
            [sys.executable, "-c", CONTENDER, str(path), str(go), str(release)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env(),
        )
        for _ in range(CONTENDERS)
    ]
    try:
        time.sleep(0.3)  # let them all start and wait at the line
        go.touch()
        first_lines = [child.stdout.readline().rstrip("\n").split(" ", 2) for child in children]
        winners = [line[1] for line in first_lines if line[0] == "won"]
        losers = [(line[1], line[2]) for line in first_lines if line[0] == "locked"]
        assert len(winners) == 1 and len(losers) == CONTENDERS - 1, first_lines
    finally:
        release.touch()
        for child in children:
            try:
                _out, err = child.communicate(timeout=30)
            finally:
                if child.poll() is None:
                    child.kill()
                    child.wait()
            assert child.returncode == 0 and "Traceback" not in err, err
    return winners[0], losers


def test_stores_in_separate_processes_racing_to_open_one_wins(tmp_path):
    path = tmp_path / "data" / "progress.json"
    for number in range(RACES):
        winner, losers = race(path, tmp_path / f"go-{number}", tmp_path / f"release-{number}")
        for holder, message in losers:
            # The process id is a hint the winner writes just after locking: a loser may
            # come too early to see it, but must never name some other process.
            assert holder in (winner, "None"), (holder, winner)
            assert "already using the progress file" in message
        assert json.loads(path.read_text())["daily"] == {"winner": int(winner)}


OPEN_AND_CLOSE = """
import sys
from studyguide.progress import ProgressStore
with ProgressStore(sys.argv[1]) as store:
    store.open()
"""

TRY_OPEN = """
import sys
from studyguide.progress import ProgressLocked, ProgressStore
try:
    ProgressStore(sys.argv[1]).open()
except ProgressLocked as exc:
    print(exc.holder)
"""


@pytest.mark.skipif(os.name != "posix", reason="flock")
def test_a_refused_opener_never_names_a_process_that_let_go(tmp_path):
    """The race above, made certain: a process opened and closed the file; the next one
    has just taken the lock and not yet written its process id. A third one, refused in
    that moment, must not name the first (it is gone) as the holder."""
    import fcntl

    path = tmp_path / "data" / "progress.json"
    first = subprocess.run(
        [sys.executable, "-c", OPEN_AND_CLOSE, str(path)], env=env(), capture_output=True
    )
    assert first.returncode == 0, first.stderr
    lock = Path(str(path) + ".lock")
    fd = os.open(lock, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # the next holder, before its id
        third = subprocess.run(
            [sys.executable, "-c", TRY_OPEN, str(path)], env=env(), capture_output=True, text=True
        )
    finally:
        os.close(fd)
    assert third.returncode == 0, third.stderr
    assert third.stdout.strip() == "None"
