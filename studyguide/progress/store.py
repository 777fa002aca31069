"""``ProgressStore``: one learner's progress file, locked, loaded and saved safely.

Saves are numbered. Whatever order the background writer and synchronous saves
reach the disk in, an older state never replaces a newer one on disk.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import stat
import sys
import threading
import time
import weakref
from collections.abc import Callable
from datetime import date
from pathlib import Path
from types import TracebackType

from studyguide import __version__
from studyguide.engine.clock import Clock, study_day
from studyguide.progress import backups
from studyguide.progress.atomic import atomic_write, remove_stale_temps
from studyguide.progress.backups import keep_original
from studyguide.progress.document import ProgressDocument, Snapshot
from studyguide.progress.errors import (
    ProgressError,
    ProgressLocked,
    ProgressRestoreError,
    ProgressSaveError,
    ProgressUnreadable,
)
from studyguide.progress.loading import NOT_REGULAR, backup_path, load_file, name_the_link
from studyguide.progress.lock import ProgressLock
from studyguide.progress.safety import folder_warning

# How often an idle writer thread checks that its lock file is still in place.
LOCK_CHECK_SECONDS = 1.0

ErrorCallback = Callable[[ProgressSaveError], None]

_OPEN_STORES: weakref.WeakSet[ProgressStore] = weakref.WeakSet()


class ProgressStore:
    """The progress file at ``path``, held under an exclusive lock while open.

    ``on_error(error)`` is called when a background save fails, on a short-lived
    thread of its own (a Textual app hops back with ``call_from_thread``; blocking
    there delays nothing else).
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        on_error: ErrorCallback | None = None,
        clock: Clock | None = None,
    ):
        # Resolve a symlink once, so saves replace its target and the link survives.
        self.given_path = Path(path)
        self.path = Path(os.path.realpath(path))
        self.clock = clock or Clock()  # the study day decides when a daily backup is due
        self.is_new = False  # open() found no file: the first save creates it
        self.backup_path = backup_path(self.path)
        self.on_error = on_error
        self.last_error: ProgressSaveError | None = None
        self.unreadable: ProgressUnreadable | None = None
        self.kept_path: Path | None = None  # where restore/import/reset kept the replaced file
        self._daily_done: date | None = None  # the study day whose daily backup exists
        self._lock = ProgressLock(self.path)
        self._state = "idle"  # idle/closed/unreadable → open (by open) → closed
        self._original: tuple[int, bytes] | None = None  # pre-migration file, kept once
        self._cond = threading.Condition()
        self._io = threading.Lock()  # one write at a time
        self._seq = 0  # number of the newest state handed over
        self._written = 0  # number of the newest state on disk
        self._pending: tuple[int, Snapshot] | None = None
        self._in_flight = False
        self._failed: tuple[int, Snapshot] | None = None
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._on_disk: tuple[int, ...] | None = None  # _identity of the file we last saw
        self._taken_over: str | None = None  # set once another instance had the file

    def __repr__(self) -> str:
        return f"<ProgressStore {self.path} {self._state}>"

    def __enter__(self) -> ProgressStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def is_open(self) -> bool:
        return self._state == "open"

    def open(self) -> ProgressDocument:
        """Lock the file, then load it (a missing file gives a new, unsaved document).

        Raises ProgressLocked, ProgressUnreadable (the file is then never written;
        the lock is let go so ``studyguide progress restore`` can run), or
        ProgressSaveError when not even the lock file can be created.
        """
        if self._state == "open":
            raise RuntimeError(f"{self.path} is already open")
        self._refuse_special_file()
        self._lock.acquire()
        try:
            loaded = load_file(self.path, self.clock.now())
            doc = loaded.document
            doc.app_version = __version__
            doc.to_json()  # fills the log cache now, so the first save is as cheap as the rest
        except ProgressUnreadable as exc:
            self._lock.release()
            exc = name_the_link(exc, self.given_path)
            self._state, self.unreadable = "unreadable", exc
            raise exc from None
        except BaseException:
            self._lock.release()
            raise
        self._on_disk, self._taken_over = _identity(self.path), None
        remove_stale_temps(self.path.parent)
        shared = folder_warning(self.path.parent)
        if shared is not None:
            doc.warnings.append(shared)
        with self._cond:
            self._state, self.unreadable, self.last_error = "open", None, None
            self.is_new = loaded.raw is None
            self._pending = self._failed = None  # from an earlier opening: not this file's
            self._stopping = False
            self._original = None
            if loaded.migrated_from is not None and loaded.raw is not None:
                self._original = (loaded.migrated_from, loaded.raw)
        _OPEN_STORES.add(self)
        return doc

    def _refuse_special_file(self) -> None:
        """A FIFO, socket or device is refused before the lock is taken: its lock file
        would be made beside it (a link to /dev/zero would make /dev/zero.lock)."""
        try:
            info = os.stat(self.path)
        except OSError:
            return  # missing or unreachable: load_file says what is wrong
        if stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode):
            return
        exc = name_the_link(
            ProgressUnreadable(self.path, self.backup_path, NOT_REGULAR), self.given_path
        )
        self._state, self.unreadable = "unreadable", exc
        raise exc

    def save(self, doc: ProgressDocument) -> None:
        """Write ``doc`` now; raises ProgressSaveError (the previous file stays)."""
        text = self._serialize(doc)
        with self._cond:
            self._check_writable()
            self._seq += 1
            seq, self._pending = self._seq, None  # anything pending is older: drop it
            self._cond.notify_all()
        error = self._write(seq, text)
        if error is not None:
            raise error

    def save_soon(self, doc: ProgressDocument) -> None:
        """Snapshot ``doc`` now and write it on the writer thread.

        Only the newest snapshot waiting is written; failures land in
        ``last_error`` and ``on_error``.
        """
        text = self._serialize(doc)
        with self._cond:
            self._check_writable()
            self._seq += 1
            self._pending = (self._seq, text)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name=f"progress-writer {self.path.name}", daemon=True
                )
                self._thread.start()
            self._cond.notify_all()

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every snapshot handed over is on disk.

        Returns False on timeout. If the newest snapshot failed to write, tries it
        once more here and raises ProgressSaveError when it fails again.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while self._pending is not None or self._in_flight:
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                self._cond.wait(remaining)
            failed = self._failed if self._failed and self._failed[0] > self._written else None
        if failed is not None:
            error = self._write(*failed)
            if error is not None:
                raise error
        return True

    def settle(self, timeout: float | None = None) -> bool:
        """Wait until every snapshot handed over has been written or has failed (no
        retry, unlike ``flush``); returns False on timeout.

        The app calls this before it shows the result of a new change, so at most one
        change the learner has seen is ever waiting for the disk: a crash loses at most
        the newest.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while self._pending is not None or self._in_flight:
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                self._cond.wait(remaining)
        return True

    def close(self) -> None:
        """Flush, stop the writer and release the lock.

        Always lets go of the lock; afterwards raises ProgressSaveError if the
        newest state could not be written.
        """
        error: ProgressSaveError | None = None
        if self._state == "open":
            try:
                self.flush()
            except ProgressSaveError as exc:
                error = exc
        with self._cond:
            if self._state == "open":
                self._state = "closed"
            self._stopping = True
            self._cond.notify_all()
            thread, self._thread = self._thread, None
        if thread is not None:
            thread.join()
        self._lock.release()
        _OPEN_STORES.discard(self)
        if error is not None:
            raise error

    def restore_backup(self, source: Path | None = None) -> None:
        """Put ``path.bak`` (or the backup ``source``) in place of the file, keeping the
        replaced file aside as ``path.replaced-<timestamp>``, or ``path.corrupt-<timestamp>``
        when it could not be read (see ``kept_path``). Locks by itself, so it works on a
        store whose ``open`` failed; refuses while the store is open."""
        self._replace(backups.restore_from_backup, source)

    def import_file(self, source: Path) -> None:
        """Put a copy of an exported progress file in place of the file, after the checks
        of opening it, keeping the replaced file aside like ``restore_backup``."""
        self._replace(backups.import_file, source)

    def reset(self) -> None:
        """Start over with no progress (settings are kept), keeping the old file aside."""
        self._replace(backups.reset)

    def _replace(self, how: Callable[..., Path | None], *args: object) -> None:
        if self._state == "open":
            raise ProgressRestoreError(self.path, "close the progress store first")
        took_lock = not self._lock.held
        self._lock.acquire()
        try:
            self.kept_path = how(self.path, *args)
        finally:
            if took_lock:
                self._lock.release()
        self._state, self.unreadable = "idle", None

    def _serialize(self, doc: ProgressDocument) -> Snapshot:
        self._check_writable()
        return doc.snapshot()

    def _check_writable(self) -> None:
        if self._state == "open":
            return
        if self._state == "unreadable" and self.unreadable is not None:
            reason = (
                f"the file could not be read ({self.unreadable.reason}), "
                "so studyguide will not write over it"
            )
        else:
            reason = "the progress store is not open"
        raise ProgressSaveError(self.path, reason)

    def _write(self, seq: int, text: Snapshot) -> ProgressSaveError | None:
        """Write state ``seq`` unless a newer one is on disk; returns the error."""
        with self._io:
            if seq <= self._written:
                return None
            try:
                self._check_lock()
                if self._original is not None:
                    keep_original(self.path, *self._original)
                    self._original = None
                self._keep_daily()
                atomic_write(self.path, text.chunks())
            except ProgressSaveError as exc:
                error = exc
            except Exception as exc:  # a bug must not kill the writer thread silently
                error = ProgressSaveError(self.path, f"unexpected error: {exc!r}")
            else:
                error = None
            with self._cond:
                if error is None:
                    self._on_disk = _identity(self.path)
                    self._written = seq
                    if self._failed is not None and self._failed[0] <= seq:
                        self._failed = None
                    if self._failed is None:
                        self.last_error = None
                else:
                    self.last_error = error
                    if self._failed is None or self._failed[0] < seq:
                        self._failed = (seq, text)
            return error

    def _keep_daily(self) -> None:
        """Before the first save of each study day, keep the file as the day's backup."""
        today = study_day(self.clock.now(), self.clock.local_tz())
        if self._daily_done == today:
            return
        try:
            backups.keep_daily(self.path, today)
        except OSError:
            return  # tried again on the next save; the save itself matters more
        self._daily_done = today

    def _check_lock(self) -> None:
        """Raise ProgressSaveError if another studyguide has had the file meanwhile.

        Called with ``_io`` held. Once taken over, the store never writes again: the
        other instance's answers are in the file, and this one's would replace them.
        """
        if self._taken_over is None:
            try:
                retaken = self._lock.verify()
            except ProgressLocked as exc:
                self._taken_over = f" (process {exc.holder})" if exc.holder else ""
            else:
                now = _identity(self.path) if retaken else self._on_disk
                if now is not None and now != self._on_disk:
                    self._taken_over = ""  # it came, saved and went
                # (A file gone with its folder was not written by anyone: save it again.)
        if self._taken_over is not None:
            raise ProgressSaveError(
                self.path,
                "its lock file was deleted while this studyguide ran, and another "
                f"studyguide{self._taken_over} has opened the file since; this one will "
                "not save over it. Quit both, then start one",
            )

    def _run(self) -> None:
        while True:
            with self._cond:
                while self._pending is None and not self._stopping:
                    if not self._cond.wait(LOCK_CHECK_SECONDS):
                        self._cond.release()
                        try:
                            with self._io, contextlib.suppress(ProgressError):
                                self._check_lock()  # a deleted lock file is made again
                        finally:
                            self._cond.acquire()
                if self._pending is None:
                    return
                (seq, text), self._pending = self._pending, None
                self._in_flight = True
            try:
                error = self._write(seq, text)
            finally:
                with self._cond:
                    self._in_flight = False
                    self._cond.notify_all()
            callback = self.on_error
            if error is not None and callback is not None:
                # On a thread of its own: a callback that waits for the UI thread (Textual's
                # call_from_thread) must not stall the writer while the UI thread flushes.
                threading.Thread(
                    target=_report, args=(callback, error), name="progress-error", daemon=True
                ).start()


def _identity(path: Path) -> tuple[int, ...] | None:
    """What tells whether someone else replaced the file: inode, size and mtime."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


def _report(callback: ErrorCallback, error: ProgressSaveError) -> None:
    try:
        callback(error)
    except Exception as exc:
        print(f"studyguide: on_error callback failed: {exc!r}", file=sys.stderr)


@atexit.register
def _close_open_stores() -> None:
    """Safety net for an app that exits without closing its store: write what is pending."""
    for store in list(_OPEN_STORES):
        try:
            store.close()
        except ProgressError as exc:
            print(f"studyguide: {exc}", file=sys.stderr)
