"""The Textual application: opens the progress file, holds the study state, routes screens."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.screen import Screen
from textual.theme import Theme

from studyguide import paths
from studyguide.course import LoadResult
from studyguide.course.cache import load_content_cached
from studyguide.course.watch import ContentWatcher
from studyguide.engine.clock import Clock
from studyguide.engine.study import Study
from studyguide.progress import ProgressDocument, ProgressError, ProgressStore, ProgressUnreadable
from studyguide.tui.keys import GLOBAL_KEYS, bindings

RELOAD_POLL_SECONDS = 1.0
RELOAD_SHOWN = 3  # problems listed in the reload notice
SETTLE_SECONDS = 5.0  # longest wait for the previous save before showing a new change


def load_course(roots: list[Path]) -> LoadResult:
    return load_content_cached(roots, paths.cache_dir(), background=True)


class StudyApp(App):
    CSS_PATH: ClassVar = [
        f"styles/{name}.tcss" for name in ("app", "lessons", "exam", "stats", "settings")
    ]
    TITLE = "studyguide"
    SUB_TITLE = "Community rapport for Massachusetts security officers"
    BINDINGS = bindings(GLOBAL_KEYS)
    ENABLE_COMMAND_PALETTE = True

    def __init__(
        self,
        roots: list[Path],
        store: ProgressStore,
        doc: ProgressDocument | None,
        *,
        unreadable: ProgressUnreadable | None = None,
        content: LoadResult | None = None,
        clock: Clock | None = None,
        seed: int | None = None,
        watch: bool = True,
    ) -> None:
        super().__init__()
        self.roots = roots
        self.store = store
        self.clock = clock or Clock()
        self.seed = seed  # fixed in tests so shuffles are reproducible
        self.content = content or load_course(roots)
        self.study: Study | None = None
        self._unsaved: ProgressDocument | None = None
        self._unreadable = unreadable
        self._watch = watch
        self.watcher = ContentWatcher(roots)
        store.on_error = self._save_failed
        if unreadable is None:
            self._begin(doc or ProgressDocument.new())

    # --- start-up ------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        # The dashboard is the first screen drawn, so start-up renders one screen, not two.
        if self.study is not None:
            from studyguide.tui.screens.dashboard import DashboardScreen

            return DashboardScreen()
        return super().get_default_screen()

    def on_mount(self) -> None:
        if self._unreadable is not None:
            from studyguide.tui.screens.dialogs import ProgressProblemDialog

            self.push_screen(ProgressProblemDialog(self._unreadable), self._after_problem)
            return
        self._started()

    def _after_problem(self, restore: bool | None) -> None:
        if not restore:
            self.exit(return_code=1)
            return
        try:
            self.store.restore_backup()
            doc = self.store.open()
        except ProgressError as exc:
            self.exit(return_code=1, message=str(exc))
            return
        from studyguide.tui.screens.dashboard import DashboardScreen

        self.notify(f"Restored your progress from {self.store.backup_path.name}.", markup=False)
        self._begin(doc)
        self.push_screen(DashboardScreen())
        self._started()

    def _begin(self, doc: ProgressDocument) -> None:
        self.study = Study(self.content.course, doc, self.clock, save=self._save_after_draw)
        # The course and a long review log are hundreds of thousands of long-lived objects;
        # left to the cyclic GC they make every full collection a visible pause.
        gc.freeze()
        theme = doc.settings.get("theme")
        if theme in self.available_themes:
            self.theme = theme

    def _started(self) -> None:
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self._announce_problems(self.content)
        if self.study is not None:
            for note in self.study.doc.warnings:  # repairs made on loading, a shared folder
                self.notify(
                    note, title="Progress file", severity="warning", timeout=15, markup=False
                )
        if self._watch:
            self.watcher.snapshot()
            self.set_interval(RELOAD_POLL_SECONDS, self._poll_content)

    def _announce_problems(self, result: LoadResult) -> None:
        errors = len(result.errors)
        if errors:
            self.notify(
                f"{errors} content problem{'s' * (errors > 1)}: the files with errors were "
                "skipped. Run `studyguide validate` for the details.",
                title="Content problems",
                severity="warning",
                timeout=12,
            )

    # --- saving and settings ------------------------------------------------------------

    def _save_after_draw(self, doc: ProgressDocument) -> None:
        """Hand the document to the background saver once the screen has been redrawn,
        so the learner sees the feedback first. At most one frame later; quitting saves
        whatever is still waiting.

        This runs before the change is drawn, and first waits for the previous change to
        reach the disk (it almost always has: a save takes milliseconds). So at most one
        change the learner has seen is ever unsaved, however fast they answer."""
        if self._unsaved is None:
            self.store.settle(timeout=SETTLE_SECONDS)
            self.call_after_refresh(self._save_now)
        self._unsaved = doc

    def _save_now(self) -> None:
        doc, self._unsaved = self._unsaved, None
        if doc is not None:
            try:
                self.store.save_soon(doc)
            except ProgressError as exc:
                self.notify(
                    str(exc), title="Progress not saved", severity="error", timeout=15, markup=False
                )

    def _save_failed(self, error: Exception) -> None:
        self.call_from_thread(
            self.notify,
            f"{error} Your answers are kept in memory; the app retries on the next answer.",
            title="Progress not saved",
            severity="error",
            timeout=15,
            markup=False,  # the message holds a path: "[" in a folder name is not markup
        )

    def _theme_changed(self, theme: Theme) -> None:
        if self.study is not None and self.study.settings.get("theme") != theme.name:
            self.study.set_setting("theme", theme.name)

    # --- live reload ------------------------------------------------------------------

    def _poll_content(self) -> None:
        if self.watcher.changed():
            self.run_worker(self._reload, thread=True, exclusive=True, group="reload")

    def _reload(self) -> None:
        result = load_course(self.roots)
        self.call_from_thread(self._apply_reload, result)

    def _apply_reload(self, result: LoadResult) -> None:
        self.content = result
        if self.study is None:
            return
        self.study.course = result.course
        errors = result.errors
        lines = [f"Reloaded {len(result.course.questions)} questions."]
        if errors:
            # The first few problems right here, so an instructor sees what to fix.
            lines.append(f"{len(errors)} problem{'s' * (len(errors) != 1)}:")
            lines += [f"{p.path.name}:{p.line}: {p.message}" for p in errors[:RELOAD_SHOWN]]
            if len(errors) > RELOAD_SHOWN:
                lines.append("Run `studyguide validate` for all of them.")
        self.notify(
            "\n".join(lines),
            title="Content changed",
            severity="warning" if errors else "information",
            timeout=15 if errors else 4,
            markup=False,
        )
        refresh = getattr(self.screen, "content_reloaded", None)
        if refresh is not None:
            refresh()

    # --- commands ----------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for key in getattr(screen, "KEYS", ()):
            if key.palette:
                yield SystemCommand(
                    key.help, f"Key: {key.display}", partial(screen.run_action, key.action)
                )

    def action_help(self) -> None:
        from studyguide.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    # --- shutting down --------------------------------------------------------------

    def on_unmount(self) -> None:
        # Everything answered is on disk before the terminal is given back; run_app then
        # closes the store and reports a save that failed.
        self._save_now()
        with contextlib.suppress(ProgressError):
            self.store.flush(timeout=10)


def run_app(roots: list[Path], progress: Path) -> int:
    """Open the progress file, run the app, and close the file safely."""
    import sys

    from studyguide.progress import ProgressLocked

    store = ProgressStore(progress)
    doc, unreadable = None, None
    try:
        doc = store.open()
    except ProgressLocked as exc:
        print(f"studyguide: {exc}", file=sys.stderr)
        return 1
    except ProgressUnreadable as exc:
        unreadable = exc
    except ProgressError as exc:
        print(f"studyguide: {exc}", file=sys.stderr)
        return 1
    app = StudyApp(roots, store, doc, unreadable=unreadable)
    try:
        code = app.run() or 0
    finally:
        try:
            if store.is_open:
                store.close()
        except ProgressError as exc:
            print(f"studyguide: {exc}", file=sys.stderr)
            return 1
    return code if isinstance(code, int) else 0
