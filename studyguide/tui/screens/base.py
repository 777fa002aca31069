"""Screens that show course data and so must follow live reloads."""

from __future__ import annotations

from textual import events, on
from textual.screen import Screen

from studyguide.course import LoadResult


class CourseScreen(Screen):
    """Told of every live reload through the app's `content_reloaded_signal`, also while
    other screens are on top of it (a Signal calls every subscriber that is mounted and
    running, and screens lower in the stack keep running). Subclasses redraw from
    `self.app.study.course` in `content_reloaded`."""

    @on(events.Mount)
    def _follow_reloads(self) -> None:
        self.app.content_reloaded_signal.subscribe(self, self._reloaded)

    def _reloaded(self, _result: LoadResult) -> None:
        self.content_reloaded()

    def content_reloaded(self) -> None:
        """The course was reloaded: `self.app.study.course` is the new one."""
