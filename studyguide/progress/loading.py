"""Reading a progress file: bytes → JSON → migrated → checked document.

Nothing here writes anything. Every failure becomes ProgressUnreadable, whose
message says why in plain words.
"""

from __future__ import annotations

import json
import os
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


class Loaded(NamedTuple):
    document: ProgressDocument
    raw: bytes | None  # the file as read; None when there was no file
    migrated_from: int | None  # the file's schema version when it had to be migrated


def backup_path(path: str | os.PathLike[str]) -> Path:
    return Path(str(path) + BACKUP_SUFFIX)


def load_file(path: Path) -> Loaded:
    """Load ``path``; a missing file gives a new document."""
    backup = backup_path(path)
    try:
        raw = path.read_bytes()
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
    except OSError as exc:
        raise ProgressUnreadable(path, backup, describe_oserror(exc)) from None
    document, version = parse_document(path, raw)
    return Loaded(document, raw, version if version != migrations.SCHEMA_VERSION else None)


def parse_document(path: Path, raw: bytes) -> tuple[ProgressDocument, int]:
    """Parse file bytes into a current document; returns it and the file's version."""

    def unreadable(reason: str) -> ProgressUnreadable:
        return ProgressUnreadable(path, backup_path(path), reason)

    if not raw.strip():
        raise unreadable("the file is empty")
    try:
        text = raw.decode("utf-8-sig")  # tolerate a BOM some editors add
    except UnicodeDecodeError as exc:
        raise unreadable(f"it is not UTF-8 text (bad byte at offset {exc.start})") from None
    try:
        data = json.loads(text)
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
        return ProgressDocument.from_dict(data), version
    except ProgressStructureError as exc:
        raise unreadable(str(exc)) from None


def read_only_load(path: str | os.PathLike[str]) -> ProgressDocument:
    """Load without locking and without ever writing (``studyguide stats`` while the
    app runs). Saves replace the file atomically, so this never sees half a file.
    Raises ProgressUnreadable like ``ProgressStore.open``."""
    return load_file(Path(os.path.realpath(path))).document
