"""An unexpected error inside the running app: a real process in a real terminal (tmux)
exits non-zero with a short message, no traceback (unless STUDYGUIDE_DEBUG=1), and the
answer given just before is on disk."""

from __future__ import annotations

import json
import shlex
import shutil
import sys
from pathlib import Path

import pytest

from tests.factories import write_course
from tests.tui.test_terminal import Tmux

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


@pytest.fixture
def term(tmp_path):
    session = Tmux(f"studyguide-exit-{tmp_path.name}")
    yield session
    if session.alive():
        session.run("kill-session", "-t", session.name)


# The error is raised by the real drawing code path, after the answer was recorded: the
# child process replaces one rendering function, then runs the real command line.
BROKEN_FEEDBACK = """
import sys
from studyguide.tui import render

def feedback(*args, **kwargs):
    raise RuntimeError("feedback could not be drawn")

render.feedback = feedback
from studyguide.cli import main
sys.exit(main(sys.argv[1:]))
"""


def start(term: Tmux, tmp_path: Path, script: str, *, debug: bool = False, progress=None) -> Path:
    course = tmp_path / "course"
    write_course(course)
    progress = progress or tmp_path / "data" / "progress.json"
    runner = tmp_path / "runner.py"
    runner.write_text(script)
    env = f"HOME={tmp_path} STUDYGUIDE_CACHE={tmp_path / 'cache'}"
    if debug:
        env += " STUDYGUIDE_DEBUG=1"
    command = (
        f"env {env} {sys.executable} {runner} --content {course} --progress {progress}"
        "; echo EXIT=$?; sleep 60"
    )
    term.run(
        "new-session",
        "-d",
        "-s",
        term.name,
        "-x",
        "80",
        "-y",
        "40",
        f"sh -c {shlex.quote(command)}",
    )
    return progress


def after_exit(term: Tmux) -> tuple[int, list[str]]:
    """The exit status and what the process printed once the terminal was given back."""
    term.wait_for("EXIT=", timeout=30)
    screen = term.run("capture-pane", "-p", "-S", "-", "-t", term.name)  # with the scrollback
    lines = [line for line in screen.splitlines() if line.strip()]
    status = next(line for line in lines if line.startswith("EXIT="))
    return int(status.removeprefix("EXIT=")), lines[: lines.index(status)]


def answer_first_question(term: Tmux) -> None:
    term.wait_for("new available")
    term.send("r")
    term.wait_for("Press 1-")
    term.send("1")


def test_an_unexpected_error_exits_1_with_one_line_and_the_answer_saved(term, tmp_path):
    progress = start(term, tmp_path, BROKEN_FEEDBACK)
    answer_first_question(term)
    status, printed = after_exit(term)
    assert status == 1
    assert printed == [
        "studyguide: unexpected error: RuntimeError: feedback could not be drawn",
        "Run with STUDYGUIDE_DEBUG=1 for details, and please report it.",
    ]
    log = json.loads(progress.read_text())["log"]  # the save in flight completed
    assert [entry["qid"] for entry in log] == ["m1-q01"]


def test_studyguide_debug_shows_the_traceback(term, tmp_path):
    progress = start(term, tmp_path, BROKEN_FEEDBACK, debug=True)
    answer_first_question(term)
    status, printed = after_exit(term)
    assert status == 1
    text = "\n".join(printed)
    # Textual's traceback: boxed frames with their locals, ending with the error.
    assert len(printed) > 20 and printed[-2].startswith("╰") and "│" in text
    assert printed[-1] == "RuntimeError: feedback could not be drawn"
    assert len(json.loads(progress.read_text())["log"]) == 1


def test_a_damaged_undo_record_is_refused_at_the_door(term, tmp_path):
    """A real trigger: a progress file whose last undo record has lost its card. Every
    field is checked on load, so the app never reaches the crash `u` used to cause: it
    names the problem in the unreadable-progress dialog, quitting exits 1 without a
    traceback, and the file is left byte for byte as it was."""
    progress = tmp_path / "data" / "progress.json"
    progress.parent.mkdir()
    progress.write_text(
        json.dumps({"schema_version": 1, "undo": [{"qid": "m1-q01", "log_len": 0}]})
    )
    before = progress.read_bytes()
    start(
        term,
        tmp_path,
        "import sys\nfrom studyguide.cli import main\nsys.exit(main())\n",
        progress=progress,
    )
    screen = term.wait_for("Progress problem")
    assert "undo[0]: missing 'card'" in screen.replace("\n", "")
    term.send("q")
    status, printed = after_exit(term)
    assert status == 1
    assert "Traceback" not in "\n".join(printed)
    assert progress.read_bytes() == before
