"""Errors raised by the progress storage layer.

Every message is written for the learner: it names the file and says what to do.
All of them derive from ``ProgressError`` so a caller can catch the family at once.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

RESTORE_COMMAND = "studyguide progress restore"


class ProgressError(Exception):
    """Base class of every error of the progress layer."""


class ProgressStructureError(ProgressError, ValueError):
    """The document's structure is wrong; ``part`` names the offending part."""

    def __init__(self, part: str, problem: str) -> None:
        self.part = part
        self.problem = problem
        super().__init__(f"{part}: {problem}")


class ProgressSaveError(ProgressError):
    """Saving failed; the previous progress file is left as it was."""

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"Could not save your progress to {self.path}: {reason}")


class ProgressLocked(ProgressError):
    """Another process holds the lock of this progress file."""

    def __init__(self, path: str | os.PathLike[str], holder: str | None = None) -> None:
        self.path = Path(path)
        self.holder = holder
        by = f" (process {holder})" if holder else ""
        super().__init__(
            f"Another studyguide{by} is already using the progress file {self.path}. "
            "Close it first, then try again."
        )


class ProgressUnreadable(ProgressError):
    """The progress file exists but cannot be read. It is never written or moved."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        backup: str | os.PathLike[str],
        reason: str,
    ) -> None:
        self.path = Path(path)
        self.backup = Path(backup)
        self.reason = reason
        self.backup_exists = is_file(self.backup)
        if self.backup_exists:
            advice = (
                f"A backup of the save before it exists: {self.backup}. "
                f"Run `{RESTORE_COMMAND}` to go back to it "
                "(the unreadable file is kept beside it, never deleted)."
            )
        elif _has_daily_backups(self.path):
            advice = (
                f"There is no backup of the last save ({self.backup} does not exist), but "
                f"there are daily backups: `{RESTORE_COMMAND} --list` shows them "
                "(the unreadable file is kept beside the one you restore, never deleted)."
            )
        else:
            advice = (
                f"There is no backup ({self.backup} does not exist), so "
                f"`{RESTORE_COMMAND}` cannot help: repair the file by hand, or move it "
                "aside to start over."
            )
        super().__init__(
            f"Cannot read the progress file {self.path}: {reason}. "
            f"studyguide has not changed it and will not save over it. {advice}"
        )


class ProgressRestoreError(ProgressError):
    """``restore_backup`` could not do its job; nothing was changed."""

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"Cannot restore the progress file {self.path}: {reason}")


def _has_daily_backups(path: Path) -> bool:
    from studyguide.progress.backups import daily_backups  # backups imports this module

    return bool(daily_backups(path))


def is_file(path: Path) -> bool:
    """``path.is_file()`` that answers False instead of raising (e.g. permission denied)."""
    try:
        return path.is_file()
    except OSError:
        return False


_PLAIN = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the disk is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "the operation is not permitted",
    errno.EISDIR: "a folder is in the way",
    errno.ENOTDIR: "part of the path is a file, not a folder",
    errno.ENOENT: "the folder does not exist",
    errno.EIO: "input/output error (the disk may be failing)",
    errno.ENAMETOOLONG: "the path is too long",
}


def describe_oserror(exc: OSError) -> str:
    """A plain-words reason for an OSError, keeping the file it concerned."""
    plain = _PLAIN.get(exc.errno or -1) or exc.strerror or str(exc)
    # For a rename the target is the name the learner knows; the source is our temp file.
    where = exc.filename2 or exc.filename
    return f"{plain} ({where})" if where else plain
