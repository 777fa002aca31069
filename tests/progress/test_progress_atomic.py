"""atomic_write: backups, file modes, and every way a save can fail."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

import pytest
from progress_helpers import file_state, temp_leftovers

from studyguide.progress import ProgressSaveError, ProgressStore, atomic_write

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def test_each_save_keeps_the_previous_one_as_bak(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    atomic_write(path, "one")
    assert path.read_text() == "one"
    assert not (tmp_path / "progress.json.bak").exists()
    atomic_write(path, "two")
    assert (tmp_path / "progress.json.bak").read_text() == "one"
    atomic_write(path, "three é")
    assert path.read_text(encoding="utf-8") == "three é"
    assert (tmp_path / "progress.json.bak").read_text() == "two"
    assert temp_leftovers(tmp_path) == []


def test_without_backup_the_bak_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    atomic_write(path, "one")
    atomic_write(path, b"two", backup=False)
    assert path.read_bytes() == b"two"
    assert not (tmp_path / "p.json.bak").exists()


@posix_only
def test_modes_0600_files_and_0700_for_folders_we_create(tmp_path: Path) -> None:
    old_umask = os.umask(0o022)
    try:
        path = tmp_path / "new" / "deeper" / "progress.json"
        atomic_write(path, "one")
        atomic_write(path, "two")
    finally:
        os.umask(old_umask)
    assert mode(path) == 0o600
    assert mode(tmp_path / "new" / "deeper" / "progress.json.bak") == 0o600
    assert mode(tmp_path / "new") == 0o700
    assert mode(tmp_path / "new" / "deeper") == 0o700


@posix_only
def test_an_existing_folder_keeps_its_mode_and_old_file_modes_are_tightened(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o755)
    path = folder / "progress.json"
    path.write_text("written by hand")
    path.chmod(0o644)
    atomic_write(path, "saved")
    assert mode(folder) == 0o755
    assert mode(path) == 0o600


def test_without_hard_links_the_backup_is_copied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_link(*args: Any, **kwargs: Any) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    path = tmp_path / "progress.json"
    atomic_write(path, "one")
    monkeypatch.setattr(os, "link", no_link)
    atomic_write(path, "two")
    assert path.read_text() == "two"
    assert (tmp_path / "progress.json.bak").read_text() == "one"
    if os.name == "posix":
        assert mode(tmp_path / "progress.json.bak") == 0o600
    assert temp_leftovers(tmp_path) == []


def test_bak_already_linked_to_the_file_leaves_no_temp(tmp_path: Path) -> None:
    # A crash between making the backup and replacing the file leaves both names on
    # one inode; rename() onto the same inode does nothing and must not strand a temp.
    path = tmp_path / "progress.json"
    atomic_write(path, "one")
    os.link(path, tmp_path / "progress.json.bak")
    atomic_write(path, "two")
    assert (tmp_path / "progress.json.bak").read_text() == "one"
    assert path.read_text() == "two"
    assert temp_leftovers(tmp_path) == []


def test_folder_path_is_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("I am a file")
    before = file_state(blocker)
    with pytest.raises(ProgressSaveError) as info:
        atomic_write(blocker / "progress.json", "x")
    assert "part of the path is a file" in str(info.value)
    assert str(blocker / "progress.json") in str(info.value)
    assert file_state(blocker) == before
    with pytest.raises(ProgressSaveError, match="lock file"):
        ProgressStore(blocker / "progress.json").open()
    assert file_state(blocker) == before


def test_progress_path_is_a_directory(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    path.mkdir()
    (path / "inside").write_text("keep me")
    with pytest.raises(ProgressSaveError, match="a folder is in the way"):
        atomic_write(path, "x")
    assert (path / "inside").read_text() == "keep me"
    assert temp_leftovers(tmp_path) == []


def test_a_directory_in_place_of_the_bak_fails_the_save(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    atomic_write(path, "good")
    (tmp_path / "progress.json.bak").mkdir()
    before = file_state(path)
    with pytest.raises(ProgressSaveError, match=r"progress\.json\.bak"):
        atomic_write(path, "new")
    assert file_state(path) == before
    assert temp_leftovers(tmp_path) == []


def _failing(errnum: int, target: Any = None) -> Any:
    def fail(*args: Any, **kwargs: Any) -> Any:
        raise OSError(errnum, os.strerror(errnum))

    return fail


@pytest.mark.parametrize(
    ("module", "name", "errnum", "words"),
    [
        (os, "write", errno.ENOSPC, "the disk is full"),
        (os, "fsync", errno.EIO, "input/output error"),
        (tempfile, "mkstemp", errno.EROFS, "the disk is read-only"),
        (tempfile, "mkstemp", errno.EACCES, "permission denied"),
        (os, "replace", errno.ENOSPC, "the disk is full"),
    ],
)
def test_os_failures_leave_the_previous_file_intact(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    module: Any,
    name: str,
    errnum: int,
    words: str,
) -> None:
    path = tmp_path / "progress.json"
    atomic_write(path, "first")
    atomic_write(path, "good")
    before = file_state(path)
    monkeypatch.setattr(module, name, _failing(errnum))
    with pytest.raises(ProgressSaveError) as info:
        atomic_write(path, "lost")
    monkeypatch.undo()
    assert words in str(info.value)
    assert "previous file was left as it was" in str(info.value)
    assert info.value.path == path
    assert file_state(path) == before
    assert (tmp_path / "progress.json.bak").read_text() in {"first", "good"}
    assert temp_leftovers(tmp_path) == []


def test_failure_of_only_the_final_replace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "progress.json"
    atomic_write(path, "first")
    atomic_write(path, "good")
    real_replace = os.replace

    def replace(src: Any, dst: Any) -> None:
        if Path(dst) == path:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(ProgressSaveError):
        atomic_write(path, "lost")
    assert path.read_text() == "good"
    assert (tmp_path / "progress.json.bak").read_text() == "good"
    assert temp_leftovers(tmp_path) == []


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_store_saves_through_a_symlink_and_keeps_it(tmp_path: Path) -> None:
    real = tmp_path / "synced" / "progress.json"
    real.parent.mkdir()
    link = tmp_path / "progress.json"
    link.symlink_to(real)
    with ProgressStore(link) as store:
        doc = store.open()
        store.save(doc)
        doc.daily["n"] = 2
        store.save(doc)
    assert link.is_symlink()
    assert '"n": 2' in real.read_text()
    assert (real.parent / "progress.json.bak").is_file()


def test_stale_temp_files_are_cleaned_on_open(tmp_path: Path) -> None:
    old = tmp_path / ".progress-old123.tmp"
    fresh = tmp_path / ".progress-fresh12.tmp"
    other = tmp_path / "notes.tmp"
    for p in (old, fresh, other):
        p.write_text("x")
    os.utime(old, (1_000_000, 1_000_000))
    os.utime(other, (1_000_000, 1_000_000))
    with ProgressStore(tmp_path / "progress.json") as store:
        store.open()
    assert not old.exists()
    assert fresh.exists() and other.exists()
