"""The lock: one studyguide per progress file, across real processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from progress_helpers import child_env, file_state, run_child

from studyguide.progress import ProgressLocked, ProgressStore, read_only_load

TRY_OPEN = """
import sys
from studyguide.progress import ProgressLocked, ProgressStore
store = ProgressStore(sys.argv[1])
try:
    doc = store.open()
except ProgressLocked as exc:
    print(exc)
    sys.exit(3)
doc.daily["child"] = True
store.save(doc)
store.close()
print("opened")
"""

HOLD = """
import sys
from studyguide.progress import ProgressStore
store = ProgressStore(sys.argv[1])
store.open()
print("holding", flush=True)
sys.stdin.readline()
store.close()
"""


def test_a_second_process_gets_progress_locked(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    store = ProgressStore(path)
    doc = store.open()
    doc.daily["n"] = 1
    store.save(doc)
    before = file_state(path)

    result = run_child(TRY_OPEN, str(path))
    assert result.returncode == 3, result.stdout + result.stderr
    assert "Another studyguide" in result.stdout
    assert "already using the progress file" in result.stdout
    assert str(path) in result.stdout and "Close it first" in result.stdout
    assert file_state(path) == before

    doc.daily["n"] = 2
    store.save(doc)
    store.close()
    assert read_only_load(path).daily == {"n": 2}

    result = run_child(TRY_OPEN, str(path))  # free again once closed
    assert result.returncode == 0 and "opened" in result.stdout, result.stderr
    assert read_only_load(path).daily == {"n": 2, "child": True}


def test_the_holder_is_named_and_a_killed_holder_frees_the_lock(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    for ending in ("close", "kill"):
        child = subprocess.Popen(
            [sys.executable, "-c", HOLD, str(path)],
            env=child_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert child.stdout is not None and child.stdin is not None
            assert child.stdout.readline().strip() == "holding"
            with pytest.raises(ProgressLocked) as info:
                ProgressStore(path).open()
            assert info.value.holder == str(child.pid)
            assert f"(process {child.pid})" in str(info.value)
            if ending == "close":
                child.stdin.write("\n")
                child.stdin.flush()
            else:
                child.kill()
            child.wait(30)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
        with ProgressStore(path) as store:
            store.open()


def test_two_stores_in_one_process_also_exclude_each_other(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    first = ProgressStore(path)
    first.open()
    second = ProgressStore(path)
    with pytest.raises(ProgressLocked):
        second.open()
    first.close()
    second.open()
    second.close()


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_lock_file_is_private_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    with ProgressStore(path) as store:
        store.open()
    lock = tmp_path / "progress.json.lock"
    assert lock.exists()  # deleting a lock file would let two holders in
    assert lock.stat().st_mode & 0o777 == 0o600
