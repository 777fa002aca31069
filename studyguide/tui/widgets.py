"""Small rendering helpers shared by screens. Content text always goes in as rich Text,
never as markup, so `[bold]` in a question shows exactly those characters."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Static

from studyguide.engine.clock import Clock


def bar(share: float, width: int) -> Text:
    share = min(max(share, 0.0), 1.0)
    filled = round(share * width)
    text = Text()
    text.append("█" * filled, style="bold")
    text.append("░" * (width - filled), style="dim")
    return text


def fit(text: str, width: int) -> str:
    """`text` padded or cut (with …) to exactly `width` screen cells. Wide characters take
    two cells, so cutting by characters would let a row of CJK text wrap."""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + "…"


@dataclass
class FigureRows:
    """Rows of a name, a bar and figures that use the width they are drawn at: a name is
    shown whole when the line has room (cut with … only when it has not) and the bar takes
    what is left, so the same rows fit 60 columns and fill 200."""

    min_bar: int = 10
    max_bar: int = 40  # wider only spreads the figures away from their names
    rows: list[tuple[Text, float | None, str, tuple[str, ...]]] = field(default_factory=list)

    def add(self, name: Text | str, share: float | None, *figures: str, empty: str = "") -> None:
        """`share` None draws `empty` (dim) where the bar and the first figure would be."""
        name = name if isinstance(name, Text) else Text(name)
        self.rows.append((name, share, empty, figures))

    def __rich_console__(self, console, options):
        if not self.rows:
            return
        width = options.max_width
        columns = max(len(figures) for *_, figures in self.rows)
        tails = [
            max((cell_len(f[i]) for *_, f in self.rows if i < len(f)), default=0)
            for i in range(columns)
        ]
        fixed = sum(tails) + len(tails)  # a space before each figure
        longest = max(row[0].cell_len for row in self.rows)
        name_width = max(1, min(longest, width - fixed - self.min_bar - 1))
        bar_width = max(1, min(self.max_bar, width - fixed - name_width - 1))
        lines = []
        for name, share, empty, figures in self.rows:
            line = name.copy()
            line.truncate(name_width, overflow="ellipsis", pad=True)
            line.append(" ")
            if share is None:
                span = bar_width + (1 + tails[0] if tails else 0)
                line.append(fit(empty, span), style="dim")
                figures = figures[1:]
                cells = tails[1:]
            else:
                line.append_text(bar(share, bar_width))
                cells = tails
            for figure, cell in zip(figures, cells, strict=False):
                line.append(" " + figure.rjust(cell) if cell else "")
            line.rstrip()
            line.no_wrap, line.overflow = True, "ellipsis"
            lines.append(line)
        yield Text("\n").join(lines)


def when(moment: datetime | None, clock: Clock) -> str:
    """A due time in words, in the learner's local time: "now", "today at 14:05"..."""
    if moment is None:
        return "nothing scheduled yet"
    now = clock.now()
    if moment <= now:
        return "now"
    tz = clock.local_tz()
    local = moment.astimezone(tz)
    days = (local.date() - now.astimezone(tz).date()).days
    day = {0: "today", 1: "tomorrow"}.get(days, f"{local:%a %b} {local.day}")
    return f"{day} at {local:%H:%M}"


def when_past(moment: datetime, clock: Clock) -> str:
    """A past moment in words, in the learner's local time: "today at 09:12",
    "yesterday at 18:05", "Mon Jan 12 at 07:30", "Dec 3 2025 at 21:00"."""
    tz = clock.local_tz()
    local = moment.astimezone(tz)
    today = clock.now().astimezone(tz).date()
    days = (today - local.date()).days
    if days in (0, 1):
        day = ("today", "yesterday")[days]
    elif local.year == today.year:
        day = f"{local:%a %b} {local.day}"
    else:
        day = f"{local:%b} {local.day} {local.year}"
    return f"{day} at {local:%H:%M}"


def clip(text: str, width: int) -> str:
    """`text` on one line, cut (with …) to at most `width` screen cells."""
    line = " ".join(text.split())
    if cell_len(line) <= width:
        return line
    return set_cell_size(line, width - 1) + "…"


class MoreBelow(Static):
    """The line under a `ScrollArea` that says part of it is below the screen, or for a
    few seconds a message about it (never a toast, which would cover the choices)."""

    BELOW = "▼ more below: ↓ or PgDn"
    SAY_SECONDS = 6

    def __init__(self) -> None:
        super().__init__(self.BELOW, classes="more-below")
        self.display = False
        self.below = False
        self.message = ""
        self._timer = None

    def show_state(self, below: bool) -> None:
        self.below = below
        self.update(self.message or self.BELOW)
        self.display = below or bool(self.message)

    def say(self, message: str) -> None:
        self.message = message
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(self.SAY_SECONDS, self.hush)
        self.show_state(self.below)

    def hush(self) -> None:
        self.message = ""
        self.show_state(self.below)


class ScrollArea(VerticalScroll):
    """A scrolling column followed by a `MoreBelow`, shown exactly while some of the
    content is below the view, so a learner never has only a scrollbar as a hint."""

    def _more(self) -> None:
        hint = self.hint
        if hint is not None:
            hint.show_state(round(self.scroll_y) < self.max_scroll_y)

    @property
    def hint(self) -> MoreBelow | None:
        return next((w for w in self.siblings if isinstance(w, MoreBelow)), None)

    def on_resize(self) -> None:  # also sent when the content's height changes
        self._more()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._more()


def reveal(widget: Widget, area: Widget) -> bool:
    """True when the learner can see `widget` in the scrolling `area` (all of it, or its
    first line when it is taller than the view). Otherwise scroll it into view and say so,
    and return False: nothing off the screen is ever answered."""
    view, region = area.scrollable_content_region, widget.region
    if region.height > view.height:
        seen = view.y <= region.y < view.bottom
    else:
        seen = view.y <= region.y and region.bottom <= view.bottom
    if seen or not region.height:
        return bool(region.height)
    area.scroll_to_widget(widget, animate=False, top=region.height > view.height)
    number = widget.id.rpartition("-")[2] if widget.id else ""
    message = f"▲ choice {number} is shown now: press {number} again to pick it"
    hint = area.hint if isinstance(area, ScrollArea) else None
    if hint is not None:
        hint.say(message)
    else:
        widget.notify(message, timeout=4)
    return False
