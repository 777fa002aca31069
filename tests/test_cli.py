"""The command line as a shell sees it: real processes, real pipes, real terminals.

Every run gets the isolated HOME and XDG folders of tests/conftest.py (through the
environment it inherits) and, unless a test says otherwise, a closed stdin.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.factories import write_course

STUDYGUIDE = [sys.executable, "-m", "studyguide"]


def run(*args: str, timeout: float = 60, **kwargs) -> subprocess.CompletedProcess:
    kwargs.setdefault("stdin", subprocess.DEVNULL)
    return subprocess.run(
        [*STUDYGUIDE, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=os.environ.copy(),
        **kwargs,
    )


# --- no terminal ---------------------------------------------------------------------


def _refusal(stdin, stdout) -> tuple[int, str, float]:
    """Start the app with these stdin/stdout; returns (exit code, stderr, seconds)."""
    started = time.monotonic()
    proc = subprocess.Popen(
        STUDYGUIDE, stdin=stdin, stdout=stdout, stderr=subprocess.PIPE, env=os.environ.copy()
    )
    try:
        _, err = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        pytest.fail("the app started without a terminal instead of refusing")
    return proc.returncode, err.decode(), time.monotonic() - started


def test_app_refuses_when_stdout_is_a_file(tmp_path):
    primary, secondary = os.openpty()  # a real terminal on stdin, so only stdout is wrong
    try:
        with open(tmp_path / "out.txt", "wb") as out:
            code, err, seconds = _refusal(secondary, out)
    finally:
        os.close(primary)
        os.close(secondary)
    assert code == 2
    assert len(err.strip().splitlines()) == 1, err
    assert "terminal" in err and "standard output" in err
    assert seconds < 15
    assert (tmp_path / "out.txt").read_bytes() == b""
    assert not (Path(os.environ["XDG_DATA_HOME"]) / "studyguide").exists()  # started nothing


def test_app_refuses_when_stdin_is_dev_null():
    primary, secondary = os.openpty()  # a real terminal on stdout, so only stdin is wrong
    try:
        with open(os.devnull, "rb") as devnull:
            code, err, seconds = _refusal(devnull, secondary)
    finally:
        os.close(primary)
        os.close(secondary)
    assert code == 2
    assert len(err.strip().splitlines()) == 1, err
    assert "terminal" in err and "standard input" in err
    assert seconds < 15


# --- a closed pipe ------------------------------------------------------------------


@pytest.fixture
def studied(tmp_path) -> Path:
    """A progress file with a few answers, in the default place."""
    from tests.test_commands import studied as make

    _root, progress = make(tmp_path)
    target = Path(os.environ["XDG_DATA_HOME"]) / "studyguide" / "progress.json"
    target.parent.mkdir(parents=True)
    progress.rename(target)
    return target


def _into_closed_pipe(*args: str) -> tuple[int, str]:
    """Run with stdout a pipe whose reading end is already closed, as `| head` leaves it."""
    proc = subprocess.Popen(
        [*STUDYGUIDE, *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=os.environ.copy(),
    )
    proc.stdout.close()
    err = proc.stderr.read().decode()
    return proc.wait(timeout=60), err


@pytest.mark.parametrize(
    "args", [("stats",), ("stats", "--json"), ("progress", "export"), ("validate",)]
)
def test_a_closed_pipe_ends_quietly(studied, args):
    code, err = _into_closed_pipe(*args)
    assert err == ""
    assert code == 141  # 128 + SIGPIPE, what the shell reports for `cat` in the same place


def test_stats_through_head_prints_its_first_line(studied):
    out = subprocess.run(
        f"{sys.executable} -m studyguide stats | head -1",
        shell=True,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        env=os.environ.copy(),
    )
    assert out.stdout.startswith("Progress file: ")
    assert out.stderr == ""


# --- a content folder that does not exist ---------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        (),
        ("stats",),
        ("stats", "--json"),
        ("validate",),
        ("progress", "path"),
        ("progress", "export"),
        ("schema", "--dir", "schemas"),
    ],
)
def test_a_missing_content_folder_is_a_usage_error(tmp_path, args):
    missing = tmp_path / "no-such-course"
    out = run("--content", str(missing), *args, cwd=tmp_path)
    assert out.returncode == 2, out
    assert out.stdout == ""
    assert str(missing) in out.stderr and "does not exist" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "schemas").exists()
    assert not (Path(os.environ["XDG_DATA_HOME"]) / "studyguide").exists()


def test_a_missing_content_folder_after_a_good_one_is_named(tmp_path):
    good = tmp_path / "course"
    write_course(good)
    missing = tmp_path / "typo"
    out = run("stats", "--content", str(good), "--content", str(missing))
    assert out.returncode == 2 and str(missing) in out.stderr and str(good) not in out.stderr


def test_a_file_given_as_content_folder_is_a_usage_error(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    out = run("stats", "--content", str(tmp_path / "notes.txt"))
    assert out.returncode == 2 and "is not a folder" in out.stderr


def test_a_missing_folder_in_the_environment_is_named_with_the_variable(tmp_path):
    env = {**os.environ, "STUDYGUIDE_CONTENT": str(tmp_path / "gone")}
    out = subprocess.run(
        [*STUDYGUIDE, "stats"],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        env=env,
    )
    assert out.returncode == 2
    assert "STUDYGUIDE_CONTENT" in out.stderr and str(tmp_path / "gone") in out.stderr


# --- a progress file that does not exist yet ------------------------------------------


def test_stats_on_a_missing_progress_file_says_so(tmp_path):
    progress = tmp_path / "typo" / "progress.json"
    out = run("stats", "--progress", str(progress))
    assert out.returncode == 0
    assert f"No progress file at {progress} yet" in out.stderr
    assert not progress.parent.exists()  # stats never writes


# --- restore, import, reset -----------------------------------------------------------


def three_days(tmp_path: Path) -> Path:
    """A progress file studied on three days: a .bak and two daily backups beside it."""
    from datetime import UTC, datetime

    from studyguide.engine.clock import FrozenClock
    from studyguide.progress import ProgressStore

    path = tmp_path / "progress.json"
    clock = FrozenClock(datetime(2026, 11, 20, 15, 0, tzinfo=UTC))
    n = 0
    for _ in range(3):
        with ProgressStore(path, clock=clock) as store:
            doc = store.open()
            for _ in range(2):
                doc.append_log(
                    {
                        "qid": f"q{n}",
                        "time": clock.now().isoformat(),
                        "rating": 3,
                        "picked": ["a"],
                        "correct": True,
                        "ms": 100,
                    }
                )
                n += 1
                store.save(doc)
                clock.advance(minutes=1)
        clock.advance(days=1)
    return path


def log_length(path: Path) -> int:
    import json

    return len(json.loads(path.read_text())["log"])


def test_restore_list_shows_each_backup_with_its_answers(tmp_path):
    progress = three_days(tmp_path)
    out = run("progress", "restore", "--list", "--progress", str(progress))
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert "6 answers" in lines[0]  # the current file
    latest, day22, day21 = lines[1:4]
    assert latest.split()[0] == "latest" and "5 answers, the last on" in latest
    assert day22.split()[0] == "2026-11-22" and "4 answers, the last on 2026-11-21" in day22
    assert day21.split()[0] == "2026-11-21" and "2 answers, the last on 2026-11-20" in day21
    assert all("saved 2" in line for line in (latest, day22, day21))
    assert "--from NAME" in lines[4]


def test_restore_from_a_day_shows_both_files_and_keeps_the_current_one(tmp_path):
    progress = three_days(tmp_path)
    current = progress.read_bytes()
    out = run("progress", "restore", "--from", "2026-11-21", "--yes", "--progress", str(progress))
    assert out.returncode == 0, out.stderr
    assert "now:    6 answers" in out.stdout and "backup: 2 answers" in out.stdout
    assert "saved 2" in out.stdout.splitlines()[1]  # the backup's date, before anything else
    assert log_length(progress) == 2
    (kept,) = tmp_path.glob("progress.json.replaced-*")  # readable: not called corrupt
    assert kept.read_bytes() == current and str(kept) in out.stdout
    assert not list(tmp_path.glob("*corrupt*"))


def test_restore_from_an_unknown_name_is_a_usage_error(tmp_path):
    progress = three_days(tmp_path)
    out = run("progress", "restore", "--from", "yesterday", "--yes", "--progress", str(progress))
    assert out.returncode == 2 and "no backup named 'yesterday'" in out.stderr
    assert log_length(progress) == 6


def test_plain_restore_summarises_both_files_before_refusing_without_a_terminal(tmp_path):
    progress = three_days(tmp_path)
    out = run("progress", "restore", "--progress", str(progress), timeout=20)
    assert out.returncode == 2 and "--yes" in out.stderr
    assert "now:    6 answers" in out.stdout and "backup: 5 answers" in out.stdout
    assert log_length(progress) == 6


@pytest.mark.parametrize(
    "action", [("restore",), ("import", "EXPORT"), ("reset",)], ids=lambda a: a[0]
)
def test_prompts_refuse_without_a_terminal_and_go_ahead_with_yes(tmp_path, action):
    progress = three_days(tmp_path)
    export = tmp_path / "export.json"
    export.write_text(progress.read_text())
    progress.write_bytes(Path(f"{progress}.2026-11-21.bak").read_bytes())  # 2 answers now
    args = [a.replace("EXPORT", str(export)) for a in action]
    before = progress.read_bytes()
    refused = run("progress", *args, "--progress", str(progress), timeout=20)
    assert refused.returncode == 2, refused
    assert "add --yes" in refused.stderr and len(refused.stderr.splitlines()) == 1
    assert progress.read_bytes() == before
    done = run("progress", *args, "--yes", "--progress", str(progress), timeout=20)
    assert done.returncode == 0, done.stderr
    assert progress.read_bytes() != before
    (kept,) = tmp_path.glob("progress.json.replaced-*")
    assert kept.read_bytes() == before and str(kept) in done.stdout


def test_a_prompt_on_a_terminal_takes_no_for_an_answer(tmp_path):
    progress = three_days(tmp_path)
    before = progress.read_bytes()
    primary, secondary = os.openpty()
    try:
        os.write(primary, b"n\n")  # typed ahead: the terminal holds it until it is read
        out = run("progress", "reset", "--progress", str(progress), stdin=secondary, timeout=20)
    finally:
        os.close(primary)
        os.close(secondary)
    assert out.returncode == 1 and "Nothing changed." in out.stdout
    assert "Reset all progress? [y/N]" in out.stdout
    assert progress.read_bytes() == before


def test_import_refuses_a_file_that_cannot_be_opened(tmp_path):
    progress = three_days(tmp_path)
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema_version": 1, "log": [')
    out = run("progress", "import", str(bad), "--yes", "--progress", str(progress))
    assert out.returncode == 1 and str(bad) in out.stderr and "cut off" in out.stderr
    missing = run("progress", "import", str(tmp_path / "nope.json"), "--yes")
    assert missing.returncode == 2 and "nope.json" in missing.stderr
    assert log_length(progress) == 6


def test_import_into_a_new_place_says_where_it_starts(tmp_path):
    progress = three_days(tmp_path)
    fresh = tmp_path / "new" / "progress.json"
    out = run("progress", "import", str(progress), "--yes", "--progress", str(fresh))
    assert out.returncode == 0, out.stderr
    assert f"Starting a new progress file at {fresh}" in out.stderr
    assert fresh.read_bytes() == progress.read_bytes()


def test_reset_keeps_a_copy_that_import_brings_back(tmp_path):
    progress = three_days(tmp_path)
    before = progress.read_bytes()
    out = run("progress", "reset", "--yes", "--progress", str(progress))
    assert out.returncode == 0, out.stderr
    assert log_length(progress) == 0
    (kept,) = tmp_path.glob("progress.json.replaced-*")
    assert f"studyguide progress import {kept}" in out.stdout
    back = run("progress", "import", str(kept), "--yes", "--progress", str(progress))
    assert back.returncode == 0, back.stderr
    assert progress.read_bytes() == before


def test_the_validate_advice_names_folders_other_than_the_default(tmp_path, monkeypatch):
    from studyguide.paths import bundled_content_dir, validate_command

    assert validate_command([bundled_content_dir()]) == "studyguide validate"
    spaced = tmp_path / "my course"
    assert validate_command([spaced]) == f"studyguide validate '{spaced}'"
    monkeypatch.setenv("STUDYGUIDE_CONTENT", str(spaced))
    assert validate_command([spaced]) == "studyguide validate"  # the environment's default
