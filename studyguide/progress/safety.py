"""Whether the folder holding the progress file can be trusted.

In a folder other users can write to, any of them can create, replace or hold the
files studyguide keeps there (the lock, the backup, the progress file itself).
studyguide refuses the dangerous cases one by one (a symbolic link or another user's
file where its own should be); this module adds a plain warning, once per folder and
process, so the learner can move the progress somewhere private.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

_WARNED: set[str] = set()


def folder_warning(folder: str | os.PathLike[str]) -> str | None:
    """A warning when ``folder`` is writable by other users, the first time it is asked
    about in this process; None otherwise."""
    key = os.path.realpath(folder)
    if key in _WARNED:
        return None
    try:
        info = os.stat(key)
    except OSError:
        return None
    mode = info.st_mode
    others = mode & stat.S_IWOTH
    group = mode & stat.S_IWGRP and not _own_group(info.st_gid)
    if not (others or group):
        return None
    _WARNED.add(key)
    who = "every user" if others else "the members of its group"
    return (
        f"The progress folder {Path(key)} can be written by {who} (mode "
        f"{stat.S_IMODE(mode):04o}). Another user there could delete or replace your "
        "progress file or its backup, or hold its lock. Keep your progress in a folder "
        "only you can write to (`--progress` or STUDYGUIDE_PROGRESS), or run "
        f"`chmod o-w,g-w {Path(key)}`."
    )


def _own_group(gid: int) -> bool:
    """A group that holds only this user (the usual per-user group) is not "others"."""
    try:
        import grp
        import pwd
    except ImportError:
        return False
    try:
        group = grp.getgrgid(gid)
        me = pwd.getpwuid(os.geteuid())
    except (KeyError, OSError):
        return False
    return me.pw_gid == gid and all(member == me.pw_name for member in group.gr_mem)
