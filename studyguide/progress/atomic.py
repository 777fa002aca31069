"""Crash-safe file replacement.

``atomic_write`` guarantees that at every instant ``path`` is either the complete old
file or the complete new one, and that ``path + ".bak"`` is a complete earlier save.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from studyguide.progress.errors import ProgressSaveError, describe_oserror

TEMP_PREFIX = ".progress-"
TEMP_SUFFIX = ".tmp"
BACKUP_SUFFIX = ".bak"


def ensure_dir(folder: str | os.PathLike[str]) -> None:
    """Create ``folder`` and its missing parents with mode 0700.

    Folders that already exist keep their mode: they may be shared on purpose.
    """
    folder = Path(folder)
    missing: list[Path] = []
    current = folder
    while not os.path.lexists(current):
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for created in reversed(missing):
        try:
            os.mkdir(created, 0o700)
        except FileExistsError:
            if created.is_dir():  # another process made it meanwhile
                continue
            raise
        os.chmod(created, 0o700)  # the umask may have taken bits away
    if not folder.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "Not a directory", str(folder))


def atomic_write(
    path: str | os.PathLike[str], data: str | bytes | Iterable[bytes], *, backup: bool = True
) -> None:
    """Replace ``path`` with ``data`` (text is written as UTF-8), atomically and durably.

    ``data`` may be an iterable of UTF-8 chunks, written one by one: a large file is then
    never built as one string, and other threads run between chunks.

    With ``backup`` the current file first becomes ``path + ".bak"``, by a hard link
    so that ``path`` never goes missing. Raises ProgressSaveError on any OS failure,
    having removed its temporary file and left ``path`` as it was.
    """
    path = Path(path)
    if isinstance(data, str):
        chunks: Iterable[bytes] = (data.encode("utf-8"),)
    elif isinstance(data, bytes | bytearray):
        chunks = (bytes(data),)
    else:
        chunks = data
    folder = path.parent
    tmp: str | None = None
    try:
        if path.is_dir():
            raise IsADirectoryError(errno.EISDIR, "Is a directory", str(path))
        ensure_dir(folder)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX)
        try:
            for payload in chunks:
                _write_all(fd, payload)
            os.fsync(fd)
        finally:
            os.close(fd)
        if backup and os.path.lexists(path):
            _make_backup(path, Path(str(path) + BACKUP_SUFFIX))
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise ProgressSaveError(
            path, f"{describe_oserror(exc)}; the previous file was left as it was"
        ) from exc
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    fsync_dir(folder)


def _write_all(fd: int, payload: bytes) -> None:
    view = memoryview(payload)
    while view:
        written = os.write(fd, view)
        if written <= 0:
            raise OSError(errno.EIO, "write made no progress")
        view = view[written:]


def _make_backup(path: Path, backup: Path) -> None:
    """Point ``backup`` at the current contents of ``path`` without touching ``path``."""
    folder = path.parent
    staged = folder / f"{TEMP_PREFIX}{os.urandom(8).hex()}{TEMP_SUFFIX}"
    try:
        os.link(path, staged)
    except OSError:
        # No hard links here (FAT, some network shares): a durable copy does the job.
        staged = Path(copy_to_temp(path, folder))
    try:
        os.replace(staged, backup)
    finally:
        # rename() is a no-op when both names already share an inode (a crash between
        # the backup and the replace can leave it so), which would strand ``staged``.
        with contextlib.suppress(OSError):
            os.unlink(staged)


def copy_to_temp(src: str | os.PathLike[str], folder: str | os.PathLike[str]) -> str:
    """Copy ``src`` to a fresh, fsynced temp file (mode 0600) in ``folder``."""
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX)
    try:
        with open(src, "rb") as source, os.fdopen(fd, "wb", closefd=False) as sink:
            shutil.copyfileobj(source, sink)
            sink.flush()
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    os.close(fd)
    return tmp


def fsync_dir(folder: str | os.PathLike[str]) -> None:
    """Make renames in ``folder`` durable. Best effort: not every platform allows it."""
    if os.name == "nt":
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems refuse; the rename itself has already happened
    finally:
        os.close(fd)


def remove_stale_temps(folder: str | os.PathLike[str], max_age: float = 3600.0) -> int:
    """Delete temp files a killed process left behind; returns how many went.

    Only old ones: a fresh one may belong to a process saving another progress
    file in the same folder right now.
    """
    removed = 0
    limit = time.time() - max_age
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        name = entry.name
        if not (name.startswith(TEMP_PREFIX) and name.endswith(TEMP_SUFFIX)):
            continue
        try:
            if entry.is_file(follow_symlinks=False) and entry.stat().st_mtime < limit:
                os.unlink(entry.path)
                removed += 1
        except OSError:
            continue
    return removed
