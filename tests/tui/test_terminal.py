"""The app in a real terminal (tmux), driven the way a new user would."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


class Tmux:
    def __init__(self, name: str) -> None:
        self.name = name

    def run(self, *args: str) -> str:
        out = subprocess.run(["tmux", *args], capture_output=True, text=True, timeout=10)
        return out.stdout

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.name)

    def alive(self) -> bool:
        return (
            subprocess.run(["tmux", "has-session", "-t", self.name], capture_output=True).returncode
            == 0
        )

    def send(self, *keys: str) -> None:
        self.run("send-keys", "-t", self.name, *keys)

    def wait_for(self, *needles: str, timeout: float = 15) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if any(n in screen for n in needles):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"none of {needles} appeared; screen was:\n{self.screen()}")


@pytest.fixture
def tmux(tmp_path):
    name = f"studyguide-test-{tmp_path.name}"
    session = Tmux(name)
    yield session
    if session.alive():
        session.run("kill-session", "-t", name)


def test_new_user_answers_three_questions_and_they_are_saved(tmux, tmp_path: Path):
    progress = tmp_path / "progress.json"
    command = f"{sys.executable} -m studyguide --progress {progress}"
    env = f"HOME={tmp_path} STUDYGUIDE_CACHE={tmp_path / 'cache'}"
    tmux.run("new-session", "-d", "-s", tmux.name, "-x", "80", "-y", "24", f"env {env} {command}")
    tmux.wait_for("new available")
    tmux.send("r")
    for _ in range(3):
        screen = tmux.wait_for("Press 1-", "Select all that apply")
        tmux.send("1")
        if "Select all that apply" in screen:
            tmux.send("Enter")  # several-answer questions: digits toggle, Enter submits
        tmux.wait_for("✔ Right", "✘ Wrong")
        tmux.send("Enter")
    tmux.wait_for("Press 1-", "Select all that apply")
    tmux.send("q")
    tmux.wait_for("Session finished")
    tmux.send("q")
    deadline = time.monotonic() + 15
    while tmux.alive() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not tmux.alive(), "the app did not quit"
    doc = json.loads(progress.read_text())
    assert len(doc["log"]) == 3
    assert len(doc["cards"]) >= 1
    assert progress.stat().st_mode & 0o777 == 0o600


def test_a_new_progress_file_is_announced_with_its_place(tmux, tmp_path: Path):
    progress = tmp_path / "typo" / "p.json"
    command = f"{sys.executable} -m studyguide --progress {progress}"
    env = f"HOME={tmp_path} STUDYGUIDE_CACHE={tmp_path / 'cache'}"
    tmux.run("new-session", "-d", "-s", tmux.name, "-x", "160", "-y", "40", f"env {env} {command}")
    screen = tmux.wait_for("Starting a new progress file")
    # The toast sits right of a "▌" bar and wraps the long path: join its lines back.
    toast = [line.rsplit("▌", 1)[1].strip("│╯─ ") for line in screen.splitlines() if "▌" in line]
    # Wrapping may fall inside the path or between words: compare without spaces.
    flat = "".join(toast).replace(" ", "")
    assert str(progress) in flat and "wascreatedforit" in flat
    tmux.send("q")
    quit_and_wait(tmux)


def quit_and_wait(tmux: Tmux) -> None:
    deadline = time.monotonic() + 15
    while tmux.alive() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not tmux.alive(), "the app did not quit"


def test_undo_redo_keys_and_undo_after_a_restart(tmux, tmp_path: Path):
    progress = tmp_path / "progress.json"
    command = f"{sys.executable} -m studyguide --progress {progress}"
    env = f"HOME={tmp_path} STUDYGUIDE_CACHE={tmp_path / 'cache'}"
    start = ("new-session", "-d", "-s", tmux.name, "-x", "80", "-y", "24", f"env {env} {command}")
    tmux.run(*start)
    tmux.wait_for("new available")
    tmux.send("r")
    screen = tmux.wait_for("Press 1-", "Select all that apply")
    tmux.send("1")
    if "Select all that apply" in screen:
        tmux.send("Enter")
    tmux.wait_for("✔ Right", "✘ Wrong")
    for redo in ("U", "C-r"):  # Shift+U and Ctrl+R, as a terminal sends them
        tmux.send("u")
        tmux.wait_for("Undid your answer to")
        tmux.wait_for("Press 1-", "Select all that apply")
        tmux.send(redo)
        tmux.wait_for("✔ Right", "✘ Wrong")
    tmux.send("q")
    tmux.wait_for("Session finished")
    tmux.send("q")
    quit_and_wait(tmux)
    assert len(json.loads(progress.read_text())["log"]) == 1

    tmux.run(*start)  # the next run: undo asks before reaching back into the first
    tmux.wait_for("due now")
    tmux.send("r")
    tmux.wait_for("Press 1-", "Select all that apply")
    tmux.send("u")
    tmux.wait_for("earlier session")
    tmux.send("y")
    tmux.wait_for("Undid your answer to")
    tmux.send("q")  # nothing answered in this session: back to the dashboard
    tmux.wait_for("due now")
    tmux.send("q")
    quit_and_wait(tmux)
    assert json.loads(progress.read_text())["log"] == []
