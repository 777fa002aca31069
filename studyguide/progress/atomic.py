"""Crash-safe file replacement.

``atomic_write`` guarantees that at every instant ``path`` is either the complete old
file or the complete new one, and that ``path + ".bak"`` is a complete earlier save.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import stat
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from studyguide.progress.errors import ProgressSaveError, describe_oserror

try:
    import fcntl
except ImportError:  # Windows: temp files are judged by their writer's process id alone
    fcntl = None  # type: ignore[assignment]

TEMP_PREFIX = ".progress-"
TEMP_SUFFIX = ".tmp"
BACKUP_SUFFIX = ".bak"
PRIVATE = 0o600
# A temp file is named .progress-<writer's pid>-<random>.tmp, and its writer holds an
# flock on it until it has been renamed into place.
_TEMP_NAME = re.compile(r"\.progress-(?:(\d+)-)?.*\.tmp\Z", re.DOTALL)
# A temp file whose name carries no process id (an older studyguide wrote it), or whose
# process id may have been reused, is stale once it is this old and nobody locks it.
UNKNOWN_WRITER_AGE = 60.0


def _temp_prefix() -> str:
    return f"{TEMP_PREFIX}{os.getpid()}-"


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
    fd: int | None = None
    try:
        if path.is_dir():
            raise IsADirectoryError(errno.EISDIR, "Is a directory", str(path))
        ensure_dir(folder)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=_temp_prefix(), suffix=TEMP_SUFFIX)
        _hold(fd)  # until the rename: the file is not stale while its writer is at it
        for payload in chunks:
            _write_all(fd, payload)
        os.fsync(fd)
        if backup and os.path.lexists(path):
            _make_backup(path, Path(str(path) + BACKUP_SUFFIX))
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise ProgressSaveError(
            path, f"{describe_oserror(exc)}; the previous file was left as it was"
        ) from exc
    finally:
        if fd is not None:
            os.close(fd)
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    fsync_dir(folder)


def _hold(fd: int) -> None:
    if fcntl is not None:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _write_all(fd: int, payload: bytes) -> None:
    view = memoryview(payload)
    while view:
        written = os.write(fd, view)
        if written <= 0:
            raise OSError(errno.EIO, "write made no progress")
        view = view[written:]


def _make_backup(path: Path, backup: Path) -> None:
    """Point ``backup`` at the current contents of ``path`` without touching ``path``.

    The backup gets mode 0600 whatever the file had (a hand-made file may be 0644).
    A symbolic link or anything else planted at the backup's name is replaced, never
    followed: ``os.replace`` renames onto the name itself.
    """
    folder = path.parent
    staged = folder / f"{_temp_prefix()}{os.urandom(8).hex()}{TEMP_SUFFIX}"
    try:
        os.link(path, staged, follow_symlinks=False)
    except OSError:
        # No hard links here (FAT, some network shares): a durable copy does the job.
        staged = Path(copy_to_temp(path, folder))
    try:
        make_private(staged)
        os.replace(staged, backup)
    finally:
        # rename() is a no-op when both names already share an inode (a crash between
        # the backup and the replace can leave it so), which would strand ``staged``.
        with contextlib.suppress(OSError):
            os.unlink(staged)


def make_private(path: str | os.PathLike[str]) -> None:
    """Give a regular file of ours mode 0600, never following a symbolic link."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return  # a link or gone: nothing of ours to tighten
    try:
        info = os.fstat(fd)
        if stat.S_ISREG(info.st_mode) and info.st_mode & 0o7777 != PRIVATE:
            with contextlib.suppress(OSError, AttributeError):  # no fchmod on Windows
                os.fchmod(fd, PRIVATE)
    finally:
        os.close(fd)


def write_new_file(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Create ``path`` (mode 0600) with ``data``, durably; never through a symbolic link
    and never over an existing file (FileExistsError). For files derived from the
    progress, such as an export. Raises OSError."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0), PRIVATE)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, PRIVATE)  # whatever the umask
        _write_all(fd, payload)
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise
    os.close(fd)
    fsync_dir(Path(path).parent)


def copy_to_temp(src: str | os.PathLike[str], folder: str | os.PathLike[str]) -> str:
    """Copy ``src`` to a fresh, fsynced temp file (mode 0600) in ``folder``."""
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=_temp_prefix(), suffix=TEMP_SUFFIX)
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


def remove_stale_temps(folder: str | os.PathLike[str]) -> int:
    """Delete temp files whose writer is gone, whatever their age; returns how many.

    A temp file is stale when nobody holds its flock and the process named in it has
    ended (or, for a name without a process id, or one whose id may have been reused,
    once it is UNKNOWN_WRITER_AGE old). A file another process is still writing (this
    one saving another progress file in the same folder) is left alone.
    """
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    old = time.time() - UNKNOWN_WRITER_AGE
    for entry in entries:
        match = _TEMP_NAME.match(entry.name)
        if match is None:
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            pid = int(match.group(1)) if match.group(1) else None
            alive = pid is None or pid == os.getpid() or _running(pid)
            if alive and entry.stat(follow_symlinks=False).st_mtime >= old:
                continue
            if _remove_unless_held(entry.path):
                removed += 1
        except OSError:
            continue
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # another user's process, or a number no process can have
    except OSError:
        return True
    return True


def _remove_unless_held(path: str) -> bool:
    """Unlink ``path`` unless a writer holds its flock."""
    if fcntl is None:
        os.unlink(path)
        return True
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False  # its writer is at work
        os.unlink(path)
        return True
    finally:
        os.close(fd)
