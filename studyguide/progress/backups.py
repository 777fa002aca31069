"""Backups beyond the rolling ``.bak``: daily copies, restoring, importing, resetting,
and keeping every file we replace.

Nothing here deletes a file the learner might want back, except daily backups older
than the last ``DAILY_KEEP`` (as Anki keeps its backups).
"""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from studyguide.progress.atomic import atomic_write, copy_to_temp, fsync_dir
from studyguide.progress.document import ProgressDocument
from studyguide.progress.errors import (
    ProgressRestoreError,
    ProgressSaveError,
    ProgressUnreadable,
    describe_oserror,
    is_file,
)
from studyguide.progress.loading import NotRegularFile, backup_path, parse_document, read_limited

DAILY_KEEP = 7
LATEST = "latest"  # the name `restore --list` gives the rolling .bak
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def _free_name(base: str) -> Path:
    candidate, number = Path(base), 1
    while os.path.lexists(candidate):
        number += 1
        candidate = Path(f"{base}-{number}")
    return candidate


# --- daily backups ------------------------------------------------------------------


def daily_backup_path(path: Path, day: date) -> Path:
    return Path(f"{path}.{day.isoformat()}.bak")


def daily_backups(path: Path) -> list[Path]:
    """The daily backups beside ``path``, newest first."""
    prefix, found = f"{path.name}.", []
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return []
    for entry in entries:
        name = entry.name
        middle = name[len(prefix) : -len(".bak")]
        if name.startswith(prefix) and name.endswith(".bak") and _DATE.fullmatch(middle):
            found.append(Path(entry.path))
    return sorted(found, reverse=True)  # ISO dates sort by name


def keep_daily(path: Path, day: date, keep: int = DAILY_KEEP) -> Path | None:
    """Before the first save of study ``day``, copy the file as it is to the day's backup.

    Returns the backup written, or None (there is one for the day already, or no file
    yet). The copy is a fresh fsynced file of mode 0600 renamed into place, so it never
    shares an inode with the progress file and never writes through a symlink. The
    oldest daily backups beyond ``keep`` are removed. Raises OSError.
    """
    target = daily_backup_path(path, day)
    if os.path.lexists(target) or not is_file(path):
        return None
    copy = copy_to_temp(path, path.parent)
    try:
        saved = os.stat(path).st_mtime_ns
        os.utime(copy, ns=(saved, saved))  # its date is when that state was saved
        os.replace(copy, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(copy)
        raise
    fsync_dir(path.parent)
    for old in daily_backups(path)[keep:]:
        if not old.is_dir():
            os.unlink(old)
    return target


# --- what a file holds --------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    """One progress file in a line: when it was saved, its answers, its last answer."""

    path: Path
    saved: datetime | None  # the file's modification time (UTC); None when it is missing
    answers: int | None = None  # None when the file cannot be read
    last_answer: datetime | None = None
    problem: str | None = None  # why it cannot be read

    @property
    def readable(self) -> bool:
        return self.answers is not None

    def line(self) -> str:
        if self.saved is None:
            return "no file"
        if self.answers is None:
            return f"cannot be read: {self.problem}"
        last = f", the last on {_local(self.last_answer)}" if self.last_answer else ""
        return f"{self.answers} answer{'s' * (self.answers != 1)}{last}"


def _local(moment: datetime | None) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else "-"


def summarize(path: Path) -> Summary:
    """Read ``path`` with the checks of opening it, and sum it up. Never raises."""
    try:
        saved = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    except FileNotFoundError:
        return Summary(path, None)
    except OSError as exc:
        return Summary(path, None, problem=describe_oserror(exc))
    try:
        raw = read_limited(path, follow=False)
        doc, _version = parse_document(path, raw)
    except IsADirectoryError:
        return Summary(path, saved, problem="it is a folder, not a file")
    except NotRegularFile as exc:
        return Summary(path, saved, problem=str(exc))
    except OSError as exc:
        return Summary(path, saved, problem=describe_oserror(exc))
    except ProgressUnreadable as exc:
        return Summary(path, saved, problem=exc.reason)
    return Summary(path, saved, len(doc.log), _last_answer(doc))


def _last_answer(doc: ProgressDocument) -> datetime | None:
    times = []
    for entry in doc.log:
        try:
            moment = datetime.fromisoformat(entry["time"])
        except (TypeError, ValueError):
            continue
        times.append(moment if moment.tzinfo else moment.replace(tzinfo=UTC))
    return max(times, default=None)


@dataclass(frozen=True)
class Backup:
    name: str  # "latest" or the day, as `restore --from` takes it
    summary: Summary


def list_backups(path: Path) -> list[Backup]:
    """Every backup ``restore`` can use: the rolling ``.bak`` first, then the daily ones,
    newest first."""
    found = []
    if is_file(backup_path(path)):
        found.append(Backup(LATEST, summarize(backup_path(path))))
    prefix = f"{path.name}."
    for daily in daily_backups(path):
        found.append(Backup(daily.name[len(prefix) : -len(".bak")], summarize(daily)))
    return found


def find_backup(path: Path, name: str) -> Path:
    """The backup ``name`` stands for: ``latest``, a day (2026-11-30) or the file's name.

    Raises ProgressRestoreError when there is none by that name.
    """
    for backup in list_backups(path):
        if name in (backup.name, backup.summary.path.name, str(backup.summary.path)):
            return backup.summary.path
    raise ProgressRestoreError(
        path, f"there is no backup named {name!r} (`studyguide progress restore --list` shows them)"
    )


def first_restorable(path: Path) -> Path | None:
    """The newest backup that can be read (the ``.bak``, else the newest daily), if any."""
    return next((b.summary.path for b in list_backups(path) if b.summary.readable), None)


# --- replacing the file -------------------------------------------------------------


def _checked_bytes(path: Path, source: Path, what: str, *, follow: bool = False) -> bytes:
    """The bytes of ``source``, read with the checks of opening a progress file. A backup
    is a name studyguide made, so a link there was planted (``follow=False``); a file to
    import is one the learner chose, links and all."""
    if not is_file(source):
        raise ProgressRestoreError(path, f"there is no {what} ({source} does not exist)")
    try:
        raw = read_limited(source, follow=follow)
        parse_document(source, raw)
    except NotRegularFile as exc:
        raise ProgressRestoreError(path, f"the {what} {source} cannot be used: {exc}") from None
    except OSError as exc:
        raise ProgressRestoreError(
            path, f"the {what} {source} cannot be read: {describe_oserror(exc)}"
        ) from exc
    except ProgressUnreadable as exc:
        raise ProgressRestoreError(
            path, f"the {what} {source} cannot be read either: {exc.reason}"
        ) from None
    return raw


def _replace_with(path: Path, raw: bytes) -> Path | None:
    """Keep the current file aside, then write ``raw`` in its place; returns where it went."""
    try:
        kept = keep_aside(path) if os.path.lexists(path) else None
        atomic_write(path, raw, backup=False)
    except OSError as exc:
        raise ProgressRestoreError(path, describe_oserror(exc)) from exc
    except ProgressSaveError as exc:
        raise ProgressRestoreError(path, exc.reason) from exc
    return kept


def restore_from_backup(path: Path, source: Path | None = None) -> Path | None:
    """Replace ``path`` with a backup (``path.bak`` unless ``source`` is given); the
    caller holds the lock.

    The replaced file is kept aside (see ``keep_aside``); returns that name (None when
    there was no file). Raises ProgressRestoreError, changing nothing, when the backup
    is missing or unreadable.
    """
    return _replace_with(path, _checked_bytes(path, source or backup_path(path), "backup"))


def import_file(path: Path, source: Path) -> Path | None:
    """Put a copy of ``source`` (an exported progress file) in place of ``path``, after
    the checks of opening it; the caller holds the lock. Like ``restore_from_backup``."""
    try:
        same = source.exists() and path.exists() and os.path.samefile(source, path)
    except OSError:
        same = False
    if same:
        raise ProgressRestoreError(path, f"{source} is the progress file itself")
    return _replace_with(path, _checked_bytes(path, source, "file to import", follow=True))


def reset(path: Path) -> Path | None:
    """Start ``path`` over with no progress, keeping its settings when it can be read.

    The old file is kept aside; returns that name (None when there was no file)."""
    doc = ProgressDocument.new()
    # An unreadable or missing file starts over with the default settings.
    with contextlib.suppress(OSError, ProgressUnreadable):
        doc.settings = parse_document(path, path.read_bytes())[0].settings
    return _replace_with(path, doc.to_json().encode("utf-8"))


def keep_aside(path: Path) -> Path:
    """Give the current file (or folder) a name of its own beside it, never deleting it:
    ``path.replaced-<timestamp>`` when it can be read, ``path.corrupt-<timestamp>`` when
    it cannot."""
    kind = "replaced" if summarize(path).readable else "corrupt"
    kept = _free_name(f"{path}.{kind}-{_stamp()}")
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
