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
