"""A screen of figures that stay current: redrawn when shown again and on live reload."""

from __future__ import annotations

from studyguide.tui.screens.base import CourseScreen


class FiguresScreen(CourseScreen):
    def refresh_figures(self) -> None:
        raise NotImplementedError

    def on_screen_resume(self) -> None:
        self.refresh_figures()

    def content_reloaded(self) -> None:
        self.refresh_figures()
