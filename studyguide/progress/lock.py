"""An exclusive, non-blocking lock on ``<progress file>.lock``.

The lock file itself is never deleted: removing a lock file while another process
waits on it lets two processes believe they hold the lock. The kernel drops the lock
when the process dies, so a crash never leaves a stale lock behind.

The lock file is opened without following a symbolic link and without truncating, and
refused unless it is a plain file of this user's: in a folder others can write to,
someone could otherwise plant a link that makes studyguide empty a file of theirs, or
a file whose "process id" they chose. ``verify`` notices a lock file deleted or
replaced while it is held, puts a deleted one back, and says when another studyguide
has taken over.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path

from studyguide.progress.atomic import ensure_dir
from studyguide.progress.errors import ProgressLocked, ProgressSaveError, describe_oserror

_OPEN_FLAGS = os.O_RDWR | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)

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
        except OSError as exc:
            raise ProgressSaveError(
                self.path, f"cannot create the lock file: {describe_oserror(exc)}"
            ) from exc
        self._fd = self._take(create=os.O_CREAT)

    def _take(self, create: int) -> int:
        """Open, check and lock the lock file; returns the descriptor."""
        try:
            fd = os.open(self.lock_path, _OPEN_FLAGS | create, 0o600)
        except OSError as exc:
            if os.path.islink(self.lock_path):
                raise ProgressSaveError(
                    self.path,
                    f"the lock file {self.lock_path} is a symbolic link; studyguide will not "
                    "follow it (someone may be trying to make it overwrite another file). "
                    "Remove the link, and keep your progress in a folder only you can write to",
                ) from None
            raise ProgressSaveError(
                self.path, f"cannot create the lock file: {describe_oserror(exc)}"
            ) from exc
        try:
            problem = _not_ours(os.fstat(fd))
            if problem is not None:
                raise ProgressSaveError(
                    self.path,
                    f"the lock file {self.lock_path} {problem}, so studyguide will not use it. "
                    "Keep your progress in a folder only you can write to",
                )
            _lock(fd)
        except OSError as exc:
            holder = _read_holder(fd)
            os.close(fd)
            if exc.errno in _CONTENDED:
                raise ProgressLocked(self.path, holder) from None
            raise ProgressSaveError(
                self.path, f"cannot lock {self.lock_path}: {describe_oserror(exc)}"
            ) from exc
        except BaseException:
            os.close(fd)
            raise
        # Only a hint for the "already in use" message; the lock is the flock itself.
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, str(os.getpid()).encode())
        return fd

    def verify(self) -> bool:
        """Check that the lock file still is the one held; call before each save.

        A deleted lock file is made again and locked at once, so a studyguide started
        from now on is refused; returns True when that happened (the caller checks that
        nobody wrote the progress file meanwhile). Raises ProgressLocked when another
        process holds the lock file now in its place: it has opened the progress file
        too, and saving over its work would lose answers.
        """
        fd = self._fd
        if fd is None:
            return False
        try:
            now = os.lstat(self.lock_path)
        except FileNotFoundError:
            now = None
        except OSError:
            return False  # cannot tell (the folder is unreadable): the save will say more
        held = os.fstat(fd)
        if now is not None and (now.st_dev, now.st_ino) == (held.st_dev, held.st_ino):
            return False
        try:
            ensure_dir(self.lock_path.parent)
            fresh = self._take(create=os.O_CREAT | os.O_EXCL if now is None else 0)
        except ProgressSaveError as exc:
            if isinstance(exc.__cause__, FileExistsError):
                return self.verify()  # someone made it meanwhile: look again
            raise
        except OSError:
            return False
        # Ours again (a lock file nobody holds is as good as the one that went).
        self._fd = fresh
        with contextlib.suppress(OSError):
            os.close(fd)
        return True

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


def _not_ours(info: os.stat_result) -> str | None:
    """Why a lock file may not be trusted, or None."""
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file"
    if info.st_nlink != 1:
        return "has other names (hard links)"
    euid = os.geteuid() if hasattr(os, "geteuid") else None
    if euid is not None and info.st_uid != euid:
        return f"belongs to another user (uid {info.st_uid})"
    return None


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
