"""A real crash mid-exam: the app runs in a real terminal (tmux), is killed with SIGKILL,
and the next start offers the exam back with its answers, marks and time left."""

from __future__ import annotations

import json
import os
import re
import signal
import sys
import time
from pathlib import Path

import pytest

from tests.tui.test_terminal import Tmux, pytestmark  # noqa: F401  (skipped without tmux)


@pytest.fixture
def terminal(tmp_path):
    session = Tmux(f"studyguide-crash-{tmp_path.name}")
    yield session
    if session.alive():
        session.run("kill-session", "-t", session.name)


def start(tmux: Tmux, tmp_path: Path, progress: Path) -> None:
    command = f"{sys.executable} -m studyguide --progress {progress}"
    env = f"HOME={tmp_path} STUDYGUIDE_CACHE={tmp_path / 'cache'}"
    tmux.run("new-session", "-d", "-s", tmux.name, "-x", "80", "-y", "24", f"env {env} {command}")


def wait_until(check, timeout: float = 20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("timed out")


def saved_exam(progress: Path) -> dict | None:
    try:
        return json.loads(progress.read_text()).get("exam_in_progress")
    except (OSError, ValueError):
        return None


def time_left(screen: str) -> int:
    found = re.search(r"⏱ (\d\d):(\d\d) left", screen)
    assert found is not None, screen
    return int(found[1]) * 60 + int(found[2])


def test_sigkill_mid_exam_then_resume(terminal, tmp_path: Path):
    tmux = terminal
    progress = tmp_path / "progress.json"
    start(tmux, tmp_path, progress)
    tmux.wait_for("new available")
    tmux.send("e")
    tmux.wait_for("Choose a length")
    tmux.send("1")  # 25 questions
    tmux.wait_for("Question 1 of 25")
    tmux.send("1")
    tmux.send("m")
    tmux.wait_for("marked for review")
    tmux.send("n")
    tmux.wait_for("Question 2 of 25")
    tmux.send("2")
    tmux.wait_for("answered 2/25")

    def answered_twice():
        record = saved_exam(progress)
        return (
            record if record and sum(bool(q["picked"]) for q in record["questions"]) == 2 else None
        )

    record = wait_until(answered_twice)
    time.sleep(6)  # long enough for the countdown's own periodic save
    record = saved_exam(progress)
    before = json.loads(progress.read_text())
    pid = int(tmux.run("display-message", "-p", "-t", tmux.name, "#{pane_pid}").strip())
    os.kill(pid, signal.SIGKILL)
    wait_until(lambda: not tmux.alive())
    # What the file held at the kill is what the next start finds.
    assert saved_exam(progress) == record
    assert record["index"] == 1
    left_at_kill = record["time_left_s"]
    assert 25 * 72 - 60 < left_at_kill < 25 * 72 - 5  # saved after the first seconds passed
    picked = {q["qid"]: q["picked"] for q in record["questions"] if q["picked"]}
    assert len(picked) == 2
    assert [q["marked"] for q in record["questions"][:2]] == [True, False]

    start(tmux, tmp_path, progress)
    screen = tmux.wait_for("left unfinished")
    assert "Answered 2 of 25, 1 marked for review" in screen
    tmux.send("r")
    screen = tmux.wait_for("Question 2 of 25")
    assert "answered 2/25" in screen
    assert left_at_kill - 10 <= time_left(screen) <= left_at_kill + 1
    assert "2. (•)" in screen or "2. [x]" in screen  # the second question's answer
    tmux.send("p")
    screen = tmux.wait_for("Question 1 of 25")
    assert "marked for review" in screen
    assert "1. (•)" in screen or "1. [x]" in screen
    tmux.send("s")
    tmux.wait_for("Submit the exam?")
    tmux.send("y")
    tmux.wait_for("of 25 right")
    tmux.send("Enter")
    tmux.wait_for("new available")
    tmux.send("q")
    wait_until(lambda: not tmux.alive())
    after = json.loads(progress.read_text())
    assert "exam_in_progress" not in after
    (attempt,) = after["exams"]
    assert attempt["resumed"] is True
    assert [a["qid"] for a in attempt["answers"] if a["picked"]] == list(picked)
    # The review schedule was never touched.
    assert after["cards"] == before["cards"] == {} and after["log"] == before["log"] == []
