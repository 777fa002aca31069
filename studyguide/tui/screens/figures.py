"""A screen of figures that stay current: redrawn when shown again, on live reload, and
on their own while open (at least every TICK_SECONDS, and as a due time passes)."""

from __future__ import annotations

from typing import ClassVar

from textual.timer import Timer

from studyguide.engine.stats import next_change
from studyguide.tui.screens.base import CourseScreen


class FiguresScreen(CourseScreen):
    # How often the figures are redrawn at the latest, whatever the clock says; tests set
    # it short and advance the app's clock instead of waiting a minute.
    TICK_SECONDS: ClassVar[float] = 60.0

    _tick_timer: Timer | None = None

    def refresh_figures(self) -> None:
        raise NotImplementedError

    def on_screen_resume(self) -> None:
        self.refresh_figures()
        self._schedule_tick()

    def content_reloaded(self) -> None:
        self.refresh_figures()

    def _schedule_tick(self) -> None:
        """Wake at the next due time (by the app's clock) or after TICK_SECONDS."""
        if self._tick_timer is not None:
            self._tick_timer.stop()
        delay = self.TICK_SECONDS
        study = self.app.study
        if study is not None:
            now = study.clock.now()
            # A second late, so the due time has surely passed when the figures are drawn.
            delay = min(delay, (next_change(study, now) - now).total_seconds() + 1)
        self._tick_timer = self.set_timer(max(delay, 0.01), self._tick)

    def _tick(self) -> None:
        self._tick_timer = None
        if self.is_current:  # a covered screen is redrawn, and wakes again, on resume
            self.refresh_figures()
            self._schedule_tick()
