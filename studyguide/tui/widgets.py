"""Small rendering helpers shared by screens. Content text always goes in as rich Text,
never as markup, so `[bold]` in a question shows exactly those characters."""

from __future__ import annotations

from datetime import datetime

from rich.cells import cell_len, set_cell_size
from rich.text import Text

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
