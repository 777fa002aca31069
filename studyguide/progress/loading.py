"""Reading a progress file: bytes → JSON → migrated → checked document.

Nothing here writes anything. Every failure becomes ProgressUnreadable, whose
message says why in plain words.
"""

from __future__ import annotations

import json
import math
import os
import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from studyguide.progress import migrations
from studyguide.progress.atomic import BACKUP_SUFFIX
from studyguide.progress.document import ProgressDocument
from studyguide.progress.errors import (
    ProgressStructureError,
    ProgressUnreadable,
    describe_oserror,
    is_file,
)
from studyguide.progress.safety import folder_warning

# A 100,000-answer history is about 18 MB; anything this large is not a progress file
# (or is a device that never ends), and reading it would only exhaust the memory.
MAX_PROGRESS_BYTES = 256 * 1024 * 1024
NOT_REGULAR = "it is not a regular file (a pipe, socket or device?)"


class Loaded(NamedTuple):
    document: ProgressDocument
    raw: bytes | None  # the file as read; None when there was no file
    migrated_from: int | None  # the file's schema version when it had to be migrated


def backup_path(path: str | os.PathLike[str]) -> Path:
    return Path(str(path) + BACKUP_SUFFIX)


def load_file(path: Path, now: datetime | None = None) -> Loaded:
    """Load ``path``; a missing file gives a new document. ``now`` (default: the
    computer's clock) is what clock anomalies are judged against."""
    backup = backup_path(path)
    try:
        raw = read_limited(path)
    except FileNotFoundError:
        if is_file(backup):
            # Saves never leave the file missing, so its absence next to a backup means
            # something went wrong; starting afresh would soon rotate the backup away.
            raise ProgressUnreadable(
                path, backup, "the file is missing, but a backup of it exists"
            ) from None
        return Loaded(ProgressDocument.new(), None, None)
    except IsADirectoryError:
        raise ProgressUnreadable(path, backup, "it is a folder, not a file") from None
    except NotRegularFile as exc:
        raise ProgressUnreadable(path, backup, str(exc)) from None
    except OSError as exc:
        raise ProgressUnreadable(path, backup, describe_oserror(exc)) from None
    document, version = parse_document(path, raw, now=now or datetime.now(UTC))
    return Loaded(document, raw, version if version != migrations.SCHEMA_VERSION else None)


class NotRegularFile(OSError):
    """The path is a pipe, socket or device, or too large to be a progress file."""


def read_limited(path: Path, *, follow: bool = True) -> bytes:
    """The bytes of a regular file of at most MAX_PROGRESS_BYTES.

    A FIFO would block the read forever and a device (``/dev/zero``) never end it,
    so the file is opened without blocking and checked before a byte is read.
    ``follow=False`` refuses a symbolic link (a name studyguide made, such as the
    backup, that someone replaced by a link). Raises OSError.
    """
    with_links = os.stat(path) if follow else os.lstat(path)
    if stat.S_ISSOCK(with_links.st_mode):  # opening one fails with a puzzling ENXIO
        raise NotRegularFile(NOT_REGULAR)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if not follow and os.path.islink(path):
            raise NotRegularFile(
                "it is a symbolic link, which studyguide did not make and will not follow"
            ) from exc
        raise
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(21, "Is a directory", str(path))
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(NOT_REGULAR)
        if info.st_size > MAX_PROGRESS_BYTES:
            raise NotRegularFile(
                f"it is {info.st_size / 2**20:.0f} MB, over the "
                f"{MAX_PROGRESS_BYTES // 2**20} MB a progress file may be"
            )
        owner = getattr(info, "st_uid", None)
        euid = os.geteuid() if hasattr(os, "geteuid") else None
        if euid not in (None, 0, owner):
            raise NotRegularFile(
                f"it belongs to another user (uid {owner}), so studyguide will not trust "
                "it; keep your progress in a folder only you can write to"
            )
        if getattr(os, "O_NONBLOCK", 0):
            os.set_blocking(fd, True)
        chunks, left = [], MAX_PROGRESS_BYTES + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    if left <= 0:
        raise NotRegularFile(f"it is over the {MAX_PROGRESS_BYTES // 2**20} MB limit")
    return b"".join(chunks)


def parse_document(
    path: Path, raw: bytes, now: datetime | None = None
) -> tuple[ProgressDocument, int]:
    """Parse file bytes into a current document; returns it and the file's version.

    Given ``now``, times after it are clamped and reported in ``warnings``.
    """

    def unreadable(reason: str) -> ProgressUnreadable:
        return ProgressUnreadable(path, backup_path(path), reason)

    if not raw.strip():
        raise unreadable("the file is empty")
    try:
        text = raw.decode("utf-8-sig")  # tolerate a BOM some editors add
    except UnicodeDecodeError as exc:
        raise unreadable(f"it is not UTF-8 text (bad byte at offset {exc.start})") from None
    try:
        data = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
    except NonFinite as exc:
        raise unreadable(f"it holds {exc} which is not a number JSON allows") from None
    except json.JSONDecodeError as exc:
        end = len(text.rstrip())
        runs_to_end = exc.msg.startswith("Unterminated string") and "\n" not in text[exc.pos : end]
        if exc.pos >= end or runs_to_end:
            raise unreadable("it ends too early (the file looks cut off)") from None
        raise unreadable(
            f"it is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except (ValueError, RecursionError) as exc:
        raise unreadable(f"it is not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else type(data).__name__
        raise unreadable(f"it holds {kind} where a JSON object was expected")
    try:
        data, version = migrations.migrate(data)
        return ProgressDocument.from_dict(data, now), version
    except ProgressStructureError as exc:
        raise unreadable(str(exc)) from None


def name_the_link(exc: ProgressUnreadable, given: Path) -> ProgressUnreadable:
    """``exc`` naming ``given`` too, when that is a symbolic link to the unreadable file
    (a link to /dev/zero must not be reported as if the learner had named /dev/zero)."""
    if given == exc.path or not os.path.islink(given):
        return exc
    return ProgressUnreadable(
        exc.path, exc.backup, f"{exc.reason}; {given} is a symbolic link to it"
    )


class NonFinite(ValueError):
    pass


def _refuse_constant(name: str) -> None:
    raise NonFinite(name)  # NaN, Infinity, -Infinity: Python's json accepts them, JSON not


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (math.inf, -math.inf):  # 1e400 reads as infinity
        raise NonFinite(f"the number {text[:20]}, too large for a float,")
    return value


def read_only_load(path: str | os.PathLike[str]) -> ProgressDocument:
    """Load without locking and without ever writing (``studyguide stats`` while the
    app runs). Saves replace the file atomically, so this never sees half a file.
    Raises ProgressUnreadable like ``ProgressStore.open``."""
    given, path = Path(path), Path(os.path.realpath(path))
    try:
        doc = load_file(path).document
    except ProgressUnreadable as exc:
        raise name_the_link(exc, given) from None
    shared = folder_warning(path.parent)
    if shared is not None:
        doc.warnings.append(shared)
    return doc
