"""Backups beyond the rolling ``.bak``: restoring it, and keeping files we replace.

Nothing here ever deletes a file the learner might want back.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from studyguide.progress.atomic import atomic_write, copy_to_temp, fsync_dir
from studyguide.progress.errors import (
    ProgressRestoreError,
    ProgressSaveError,
    ProgressUnreadable,
    describe_oserror,
    is_file,
)
from studyguide.progress.loading import NotRegularFile, backup_path, parse_document, read_limited


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def _free_name(base: str) -> Path:
    candidate, number = Path(base), 1
    while os.path.lexists(candidate):
        number += 1
        candidate = Path(f"{base}-{number}")
    return candidate


def restore_from_backup(path: Path) -> Path | None:
    """Replace ``path`` with ``path.bak``; the caller holds the lock.

    The replaced file is kept as ``path.corrupt-<timestamp>``; returns that name
    (None when there was no file). Raises ProgressRestoreError, changing nothing,
    when the backup is missing or unreadable.
    """
    backup = backup_path(path)
    if not is_file(backup):
        raise ProgressRestoreError(path, f"there is no backup ({backup} does not exist)")
    try:
        raw = read_limited(backup, follow=False)  # studyguide made it: a link was planted
        parse_document(backup, raw)
    except NotRegularFile as exc:
        raise ProgressRestoreError(path, f"the backup {backup} cannot be used: {exc}") from None
    except OSError as exc:
        raise ProgressRestoreError(
            path, f"the backup {backup} cannot be read: {describe_oserror(exc)}"
        ) from exc
    except ProgressUnreadable as exc:
        raise ProgressRestoreError(
            path, f"the backup {backup} cannot be read either: {exc.reason}"
        ) from None
    try:
        kept = keep_aside(path) if os.path.lexists(path) else None
        atomic_write(path, raw, backup=False)
    except OSError as exc:
        raise ProgressRestoreError(path, describe_oserror(exc)) from exc
    except ProgressSaveError as exc:
        raise ProgressRestoreError(path, exc.reason) from exc
    return kept


def keep_aside(path: Path) -> Path:
    """Give the current file (or folder) a ``.corrupt-<timestamp>`` name too."""
    kept = _free_name(f"{path}.corrupt-{_stamp()}")
    if path.is_file():
        try:
            os.link(path, kept)  # the file stays in place until it is replaced
            return kept
        except OSError:
            pass
        try:
            os.replace(copy_to_temp(path, path.parent), kept)
            return kept
        except OSError:
            pass
    os.rename(path, kept)  # a folder, or a file we may not read
    fsync_dir(path.parent)
    return kept


def keep_original(path: Path, version: int, raw: bytes) -> Path:
    """Save the bytes of a file as read before migrating it, as ``path.v{version}.bak``.

    A copy of an earlier migration that differs is kept as well, under a timestamped
    name. Raises ProgressSaveError.
    """
    kept = Path(f"{path}.v{version}.bak")
    try:
        if kept.is_file() and kept.read_bytes() == raw:
            return kept
    except OSError as exc:
        raise ProgressSaveError(kept, describe_oserror(exc)) from exc
    if os.path.lexists(kept):
        kept = _free_name(f"{path}.v{version}-{_stamp()}.bak")
    atomic_write(kept, raw, backup=False)
    return kept
