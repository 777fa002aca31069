"""Notice when content files change, for live reload while an instructor edits."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from studyguide.course.files import discover

Stamp = dict[str, tuple[int, int]]


class ContentWatcher:
    """Polls file sizes and mtimes under the content roots.

    A change is reported once the files have stayed the same for one further poll, so
    an editor's save-in-several-steps triggers one reload, not several (debounce).
    """

    def __init__(self, roots: Sequence[Path]) -> None:
        self.roots = list(roots)
        self._seen: Stamp = {}
        self._pending: Stamp | None = None

    def _stamp(self) -> Stamp:
        files, _problems = discover(self.roots)
        stamp: Stamp = {}
        for item in files:
            try:
                info = os.stat(item.path)
            except OSError:
                continue
            stamp[str(item.path)] = (info.st_mtime_ns, info.st_size)
        return stamp

    def snapshot(self) -> None:
        self._seen = self._stamp()
        self._pending = None

    def changed(self) -> bool:
        current = self._stamp()
        if current == self._seen:
            self._pending = None
            return False
        if current != self._pending:
            self._pending = current  # still changing: wait for it to settle
            return False
        self._seen, self._pending = current, None
        return True
