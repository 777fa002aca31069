"""An exclusive, non-blocking lock on ``<progress file>.lock``.

The lock file itself is never deleted: removing a lock file while another process
waits on it lets two processes believe they hold the lock. The kernel drops the lock
when the process dies, so a crash never leaves a stale lock behind.
"""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path

from studyguide.progress.atomic import ensure_dir
from studyguide.progress.errors import ProgressLocked, ProgressSaveError, describe_oserror

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt

_CONTENDED = {errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES, errno.EDEADLK}


class ProgressLock:
    """Holds an OS lock for the life of a store; ``path`` is the progress file."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.lock_path = Path(str(path) + ".lock")
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        """Take the lock or raise ProgressLocked at once (never waits)."""
        if self._fd is not None:
            return
        try:
            ensure_dir(self.lock_path.parent)
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise ProgressSaveError(
                self.path, f"cannot create the lock file: {describe_oserror(exc)}"
            ) from exc
        try:
            _lock(fd)
        except OSError as exc:
            holder = _read_holder(fd)
            os.close(fd)
            if exc.errno in _CONTENDED:
                raise ProgressLocked(self.path, holder) from None
            raise ProgressSaveError(
                self.path, f"cannot lock {self.lock_path}: {describe_oserror(exc)}"
            ) from exc
        self._fd = fd
        # Only a hint for the "already in use" message; the lock is the flock itself.
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, str(os.getpid()).encode())

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        # Clear the process id while still holding the lock: the next holder writes its own
        # only just after locking, and a process refused in between must not be told that
        # this one, gone by then, holds the file.
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        with contextlib.suppress(OSError):
            _unlock(fd)
        os.close(fd)


def _lock(fd: int) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    else:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)


def _unlock(fd: int) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_UN)
    else:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)


def _read_holder(fd: int) -> str | None:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        text = os.read(fd, 32).decode("ascii", "replace").strip()
    except OSError:
        return None
    return text if text.isdigit() else None


def check_free(path: str | os.PathLike[str]) -> None:
    """Raise ProgressLocked if another process holds the lock of ``path``; create nothing.

    For refusing early (before anything is opened or created) with the clearer message.
    It takes the lock for an instant when it is free, so a studyguide starting at that
    very instant may be refused; it can never let two in.
    """
    lock_path = Path(str(path) + ".lock")
    try:
        fd = os.open(lock_path, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return  # no lock file: nobody holds it (or `acquire` will say what is wrong)
    try:
        try:
            _lock(fd)
        except OSError as exc:
            if exc.errno in _CONTENDED:
                raise ProgressLocked(path, _read_holder(fd)) from None
            return
        with contextlib.suppress(OSError):
            _unlock(fd)
    finally:
        os.close(fd)
