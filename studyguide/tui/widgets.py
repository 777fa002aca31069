"""Small rendering helpers shared by screens. Content text always goes in as rich Text,
never as markup, so `[bold]` in a question shows exactly those characters."""

from __future__ import annotations

from rich.text import Text


def bar(share: float, width: int) -> Text:
    share = min(max(share, 0.0), 1.0)
    filled = round(share * width)
    text = Text()
    text.append("█" * filled, style="bold")
    text.append("░" * (width - filled), style="dim")
    return text
