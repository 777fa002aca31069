"""One definition per key action, from which bindings, the footer, the help screen and
the command palette are all derived, so they can never disagree."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class Key:
    keys: str  # Textual key spec; several keys separated by commas
    action: str  # the screen's action name (without "action_")
    label: str  # short footer label
    help: str  # sentence for the help screen and the command palette
    show: bool = True  # shown in the footer
    palette: bool = True  # offered in the command palette
    shown_as: str = ""  # how help and the palette name the key, when not the key itself
    in_help: bool = True

    @property
    def display(self) -> str:
        if self.shown_as:
            return self.shown_as
        return "/".join(key_name(k) for k in self.keys.split(","))


# How help, the palette and the footer write a key: one way everywhere ("PgDn").
KEY_NAMES = {
    "escape": "Esc",
    "enter": "Enter",
    "space": "Space",
    "question_mark": "?",
    "left": "←",
    "right": "→",
    "ctrl+p": "^p",  # as the footer writes it
    "up": "↑",
    "down": "↓",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "home": "Home",
    "end": "End",
    "tab": "Tab",
}


def key_name(key: str) -> str:
    return KEY_NAMES.get(key, key)


def bindings(keys: tuple[Key, ...]) -> list[Binding]:
    return [
        Binding(k.keys, k.action, k.label, show=k.show, key_display=k.shown_as or None)
        for k in keys
    ]


def digit_keys(action: str, label: str, help_text: str) -> tuple[Key, ...]:
    """Keys 1..9 calling `action(n)`; only the first shows, as "1-9"."""
    first = Key("1", f"{action}(1)", label, help_text, shown_as="1-9")
    rest = tuple(
        Key(str(n), f"{action}({n})", label, help_text, show=False, palette=False, in_help=False)
        for n in range(2, 10)
    )
    return (first, *rest)


GLOBAL_KEYS = (
    Key("question_mark", "app.help", "Help", "Show every key and what it does"),
    Key(
        "ctrl+p",
        "app.command_palette",
        "Commands",
        "Search every action",
        show=False,
        palette=False,
    ),
)


# Scrolling a long question or page; the focused scroll area answers the same keys.
SCROLL_KEYS = (
    Key("down", "scroll(1)", "Scroll", "Scroll a line down or up", False, False, "↓/↑"),
    Key("up", "scroll(-1)", "Scroll", "Scroll up a line", False, False, in_help=False),
    Key("pagedown", "scroll(2)", "Page", "Scroll a page down or up", False, False, "PgDn/PgUp"),
    Key("pageup", "scroll(-2)", "Page", "Scroll up a page", False, False, in_help=False),
)
