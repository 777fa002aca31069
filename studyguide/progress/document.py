"""The learner's progress as an in-memory document, and its file text.

Saving happens after every answer, and the log grows by one entry each time, so
``to_json`` keeps the JSON line of every log entry it has written and serializes
only entries it has not seen. Entries are matched by identity: appending, popping,
replacing or reordering entries (even directly on ``log``) is always picked up.
Changing an entry *in place* is picked up only within the last ``LOG_TAIL``
entries (the undo window), which are re-serialized on every call; to change an
older entry, put a new dict in its place.
"""

from __future__ import annotations

import operator
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from studyguide import __version__
from studyguide.progress import migrations
from studyguide.progress.errors import ProgressStructureError
from studyguide.progress.jsontext import dump_head, dump_lines
from studyguide.progress.schema import (
    DEFAULT_SETTINGS,
    EXAM_IN_PROGRESS,
    KNOWN_PARTS,
    check_exam_in_progress,
    clean_settings,
)
from studyguide.progress.spec import PARTS, check_log_entry, check_parts, kind, repair_clock

HEAD_PARTS = tuple(part for part in PARTS if part.name != "log")
LOG_TAIL = 32  # entries re-serialized on every save: the undo window may edit them


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Snapshot:
    """A frozen copy of the file, produced as UTF-8 chunks.

    Log lines are cached already encoded, so the writer thread only joins bytes.
    """

    CHUNK_LINES = 2000

    def __init__(self, head: str, lines: list[bytes]) -> None:
        self.head = head
        self.lines = lines

    def chunks(self) -> Iterator[bytes]:
        lines = self.lines
        if not lines:
            yield f'{self.head},\n "log": []\n}}\n'.encode()
            return
        yield f'{self.head},\n "log": [\n'.encode()
        step = self.CHUNK_LINES
        for start in range(0, len(lines), step):
            part = b",\n".join(lines[start : start + step])
            yield part if start + step >= len(lines) else part + b",\n"
        yield b"\n ]\n}\n"

    def text(self) -> str:
        return b"".join(self.chunks()).decode("utf-8")


class ProgressDocument:
    """Everything the app remembers about one learner.

    The parts are plain attributes holding plain JSON data (dicts, lists, str,
    int, float, bool, None). ``extra`` keeps top-level keys this version does not
    know, so a file never loses data by passing through it. ``warnings`` lists the
    settings that were reset when the file was loaded, and a damaged exam in
    progress that was dropped.
    """

    def __init__(
        self,
        *,
        app_version: str = __version__,
        created: str | None = None,
        settings: dict[str, Any] | None = None,
        cards: dict[str, dict[str, Any]] | None = None,
        buried: dict[str, str] | None = None,
        flags: dict[str, dict[str, Any]] | None = None,
        lesson_positions: dict[str, str] | None = None,
        pages_read: dict[str, list[str]] | None = None,
        daily: dict[str, Any] | None = None,
        exams: list[dict[str, Any]] | None = None,
        undo: list[dict[str, Any]] | None = None,
        log: list[dict[str, Any]] | None = None,
        exam_in_progress: dict[str, Any] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        self.app_version = app_version
        self.created = created or utc_now()
        self.settings = dict(DEFAULT_SETTINGS) if settings is None else settings
        self.cards = {} if cards is None else cards
        self.buried = {} if buried is None else buried
        self.flags = {} if flags is None else flags
        self.lesson_positions = {} if lesson_positions is None else lesson_positions
        self.pages_read = {} if pages_read is None else pages_read
        self.daily = {} if daily is None else daily
        self.exams = [] if exams is None else exams
        self.undo = [] if undo is None else undo
        self.log = [] if log is None else log
        # A practice exam being sat, saved so a crash does not lose it (None: none).
        self.exam_in_progress = exam_in_progress
        self.extra = {} if extra is None else extra
        self.warnings: list[str] = []
        # Aligned lists: the entry objects serialized so far and their lines.
        self._cached_entries: list[dict[str, Any]] = []
        self._cached_lines: list[bytes] = []
        # (part, key) -> the item ``_check_parts`` last found valid
        self._checked: dict[tuple[str, str | int], Any] = {}

    def __repr__(self) -> str:
        return (
            f"<ProgressDocument {len(self.cards)} cards, {len(self.log)} log entries, "
            f"{len(self.exams)} exams>"
        )

    @property
    def schema_version(self) -> int:
        return migrations.SCHEMA_VERSION

    @classmethod
    def new(cls) -> ProgressDocument:
        return cls()

    @classmethod
    def from_dict(cls, d: Any, now: datetime | None = None) -> ProgressDocument:
        """Build a document from parsed JSON at the current schema version.

        The parts are taken over, not copied. Every field is checked against the
        declaration in ``spec.py``; raises ProgressStructureError (a ValueError)
        naming the first offending part. Bad settings are no error: they fall back to
        their defaults. Given ``now``, times after it are clamped (``repair_clock``).
        Both kinds of repair are listed in ``warnings``.
        """
        if not isinstance(d, dict):
            raise ProgressStructureError("document", f"must be a JSON object, not {kind(d)}")
        version = migrations.read_version(d)
        if version != migrations.SCHEMA_VERSION:
            raise ProgressStructureError(
                "schema_version",
                f"is {version}; migrate it to {migrations.SCHEMA_VERSION} first",
            )
        clock_notes = repair_clock(d, now) if now is not None else []
        check_parts(d)
        parts: dict[str, Any] = {p.name: d[p.name] for p in PARTS if p.name in d}
        settings, warnings = clean_settings(d.get("settings"))
        warnings += clock_notes
        exam = d.get(EXAM_IN_PROGRESS)
        try:
            check_exam_in_progress(exam, EXAM_IN_PROGRESS)
        except ProgressStructureError as exc:
            # An exam in progress is a convenience, not something earned: a damaged one
            # is dropped (with a warning) rather than making the whole file unreadable.
            warnings.append(f"{exc}; the saved exam in progress could not be resumed")
            exam = None
        parts[EXAM_IN_PROGRESS] = exam
        extra = {key: value for key, value in d.items() if key not in KNOWN_PARTS}
        doc = cls(settings=settings, extra=extra, **parts)
        doc.warnings = warnings
        doc._checked = {  # just checked: the first save need not check them again
            (part.name, key): item
            for part in HEAD_PARTS
            if part.shape != "value"
            for key, item in part.items(getattr(doc, part.name))
        }
        return doc

    def to_dict(self) -> dict[str, Any]:
        """The document as one dict (sharing its parts, not copies), log last."""
        d = self._head()
        d["log"] = self.log
        return d

    def to_json(self) -> str:
        """The file text: the head indented by 1, then the log one entry per line.

        Non-ASCII text is written as is; a string that cannot be UTF-8 encoded
        (a lone surrogate) falls back to escapes, so the text always encodes.
        """
        return self.snapshot().text()

    def snapshot(self) -> Snapshot:
        """The state as file text, frozen now, cheaply: the head is serialized and the
        cached log lines are referenced, not joined. The writer joins them later, off the
        thread that answers questions."""
        self._check_parts()
        head = dump_head(self._head())[:-2]  # reopened to append the log
        return Snapshot(head, self._log_lines().copy())

    def _check_parts(self) -> None:
        """Check every part but the log (``_log_lines`` checks its new entries) as
        ``open()`` will, so a save never writes a file that could not be read back.

        An item that is the very object checked at the last save is skipped: the engine
        replaces a card or a record rather than changing it in place.
        """
        seen, fresh = self._checked, {}
        for part in HEAD_PARTS:
            value = getattr(self, part.name)
            if part.shape == "value":
                part.check(value)
                continue
            name = part.name
            for key, item in part.items(value):
                tag = (name, key)
                if seen.get(tag) is not item:
                    part.check_item(key, item)
                fresh[tag] = item
        self._checked = fresh
        check_exam_in_progress(self.exam_in_progress, EXAM_IN_PROGRESS)

    def append_log(self, entry: dict[str, Any]) -> None:
        """Add a review to the log (checked first, so a bad entry never reaches the file)."""
        check_log_entry(entry, len(self.log))
        self.log.append(entry)

    def pop_log(self) -> dict[str, Any]:
        """Remove and return the most recent log entry (for undo)."""
        if not self.log:
            raise IndexError("pop_log from an empty log")
        return self.log.pop()

    def _head(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "schema_version": migrations.SCHEMA_VERSION,
            "app_version": self.app_version,
            "created": self.created,
            "settings": self.settings,
            "cards": self.cards,
            "buried": self.buried,
            "flags": self.flags,
            "lesson_positions": self.lesson_positions,
            "daily": self.daily,
            "exams": self.exams,
            "undo": self.undo,
        }
        if self.pages_read:
            d["pages_read"] = self.pages_read
        if self.exam_in_progress is not None:
            d[EXAM_IN_PROGRESS] = self.exam_in_progress
        for key, value in self.extra.items():
            if key not in KNOWN_PARTS:
                d[key] = value
        return d

    def _log_lines(self) -> list[bytes]:
        log = self.log
        entries = self._cached_entries
        lines = self._cached_lines
        if all(map(operator.is_, log, entries)):
            valid = min(len(log), len(entries))
        else:
            pairs = enumerate(zip(log, entries, strict=False))
            valid = next(i for i, (a, b) in pairs if a is not b)
        start = max(0, min(valid, len(log) - LOG_TAIL))
        del entries[start:]
        del lines[start:]
        fresh = log[start:]
        for offset, entry in enumerate(fresh):
            check_log_entry(entry, start + offset)
        lines.extend([("  " + line).encode("utf-8") for line in dump_lines(fresh, start)])
        entries.extend(fresh)
        return lines
