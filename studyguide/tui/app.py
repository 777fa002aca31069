"""The Textual application: opens the progress file, holds the study state, routes screens."""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.signal import Signal
from textual.theme import Theme

from studyguide import paths
from studyguide.course import LoadResult
from studyguide.course.cache import load_content_cached
from studyguide.course.watch import ContentWatcher
from studyguide.engine.clock import Clock
from studyguide.engine.study import Study, new_session_id
from studyguide.progress import ProgressDocument, ProgressError, ProgressStore, ProgressUnreadable
from studyguide.tui.keys import GLOBAL_KEYS, KEY_NAMES, bindings, key_name

RELOAD_POLL_SECONDS = 1.0
RELOAD_SHOWN = 3  # problems listed in the reload notice
SETTLE_SECONDS = 5.0  # longest wait for the previous save before showing a new change


def _palette():
    # Imported when the palette first opens: textual.command is not needed to start.
    from studyguide.tui import palette

    return palette


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
    COMMANDS: ClassVar = {lambda: _palette().Commands}
    # Classes on every screen by terminal width, for the stylesheets (app.tcss: the footer).
    HORIZONTAL_BREAKPOINTS: ClassVar = [(0, "-narrow"), (80, "-standard"), (120, "-wide")]
    # And by height: below 24 rows the dashboard keeps only the short mastery definition.
    VERTICAL_BREAKPOINTS: ClassVar = [(0, "-short"), (24, "-tall")]

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
        notices: tuple[str, ...] = (),
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
        self.failure: BaseException | None = None  # the first unexpected error, if any
        self._notices = notices  # shown once the app has started (e.g. a new progress file)
        self.watcher = ContentWatcher(roots)
        self.content_reloaded_signal: Signal[LoadResult] = Signal(self, "content-reloaded")
        """Published after a live reload has swapped in the new course; every screen that
        shows course data subscribes on mount (see `screens/base.py`)."""
        # This run of the app; undo asks before reaching into answers of an earlier run.
        self.session_id = new_session_id()
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

    def _after_problem(self, backup: Path | None) -> None:
        if backup is None:
            self.exit(return_code=1)
            return
        try:
            self.store.restore_backup(backup)
            doc = self.store.open()
        except ProgressError as exc:
            self.exit(return_code=1, message=str(exc))
            return
        from studyguide.tui.screens.dashboard import DashboardScreen

        kept = self.store.kept_path
        self.notify(
            f"Restored your progress from {backup.name}."
            + (f" The unreadable file is kept as {kept.name}." if kept else ""),
            markup=False,
        )
        self._begin(doc)
        self.push_screen(DashboardScreen())
        self._started()

    def _begin(self, doc: ProgressDocument) -> None:
        self.study = Study(
            self.content.course,
            doc,
            self.clock,
            save=self._save_after_draw,
            session=self.session_id,
        )
        # The course and a long review log are hundreds of thousands of long-lived objects;
        # left to the cyclic GC they make every full collection a visible pause.
        gc.freeze()
        theme = doc.settings.get("theme")
        if theme in self.available_themes:
            self.theme = theme

    def _started(self) -> None:
        from studyguide.tui.screens.exam_resume import offer_saved_exam

        self.theme_changed_signal.subscribe(self, self._theme_changed)
        for notice in self._notices:
            self.notify(notice, title="Progress", timeout=10, markup=False)
        self._announce_problems(self.content)
        self._announce_warnings()
        offer_saved_exam(self)
        if self._watch:
            self.watcher.snapshot()
            self.set_interval(RELOAD_POLL_SECONDS, self._poll_content)

    def _announce_warnings(self) -> None:
        """What was reset or dropped while reading the progress file (a bad setting, a
        damaged exam in progress)."""
        warnings = self.study.doc.warnings if self.study is not None else []
        if warnings:
            self.notify(
                "\n".join(warnings),
                title="Progress file",
                severity="warning",
                timeout=12,
                markup=False,
            )

    def _announce_problems(self, result: LoadResult) -> None:
        errors = len(result.errors)
        if errors:
            self.notify(
                f"{errors} content problem{'s' * (errors > 1)}: the files with errors were "
                f"skipped. Run `{paths.validate_command(self.roots)}` for the details.",
                title="Content problems",
                severity="warning",
                timeout=12,
                markup=False,  # the command names folders: "[" in a name is not markup
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
                lines.append(f"Run `{paths.validate_command(self.roots)}` for all of them.")
        self.notify(
            "\n".join(lines),
            title="Content changed",
            severity="warning" if errors else "information",
            timeout=15 if errors else 4,
            markup=False,
        )
        self.content_reloaded_signal.publish(result)

    # --- commands ----------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        palette = _palette()
        yield from palette.textual_commands(screen, super().get_system_commands(screen))
        yield from palette.key_commands(self, screen)

    def get_key_display(self, binding: Binding) -> str:
        """The footer names keys as help does ("Esc", "PgDn"), from keys.KEY_NAMES."""
        if binding.key_display or binding.key not in KEY_NAMES:
            return super().get_key_display(binding)
        return key_name(binding.key)

    def action_help(self) -> None:
        from studyguide.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    # --- shutting down --------------------------------------------------------------

    def _handle_exception(self, error: Exception) -> None:
        """An unexpected error in a handler. Textual then exits with return code 1 and
        prints a long traceback (with local variables); the learner gets one short line
        from `run_app` instead, unless STUDYGUIDE_DEBUG is set. Answers already given are
        still saved: the app unmounts as usual, and `on_unmount` flushes the store."""
        if self.failure is None:
            self.failure = error
        super()._handle_exception(error)
        if not debugging():
            self._exit_renderables.clear()  # the traceback Textual would print on exit

    def on_unmount(self) -> None:
        # Everything answered is on disk before the terminal is given back; run_app then
        # closes the store and reports a save that failed.
        self._save_now()
        with contextlib.suppress(ProgressError):
            self.store.flush(timeout=10)


def debugging() -> bool:
    """STUDYGUIDE_DEBUG=1: show tracebacks of unexpected errors."""
    return bool(os.environ.get("STUDYGUIDE_DEBUG"))


def _new_file_notice(store: ProgressStore, folder_existed: bool) -> tuple[str, ...]:
    """Say where a new progress file starts, so a typo in --progress is not mistaken
    for lost progress."""
    if not store.is_new:
        return ()
    created = "" if folder_existed else f" (the folder {store.path.parent} was created for it)"
    return (f"Starting a new progress file at {store.path}{created}.",)


def run_app(roots: list[Path], progress: Path) -> int:
    """Open the progress file, run the app, and close the file safely.

    The exit status is the app's return code: non-zero when it exited with an error. An
    unexpected error inside the app is raised again here once the progress file is
    closed, so the command line reports it in one line (or Textual's traceback was shown,
    with STUDYGUIDE_DEBUG)."""
    import sys

    from studyguide.progress import ProgressLocked

    store = ProgressStore(progress)
    folder_existed = store.path.parent.is_dir()
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
    app = StudyApp(
        roots, store, doc, unreadable=unreadable, notices=_new_file_notice(store, folder_existed)
    )
    try:
        app.run()
    finally:
        try:
            if store.is_open:
                store.close()
        except ProgressError as exc:
            print(f"studyguide: {exc}", file=sys.stderr)
            return 1
    if app.failure is not None and not debugging():
        raise app.failure
    return app.return_code or 0
