"""The command palette (ctrl+p): every action of the current screen and the global ones,
each once, made from the same `Key` definitions as the bindings, footer and help.

A command's title is its help sentence and its help line names the footer label and the
key ("Help · ?"), and a search matches either, so typing "help" finds the help screen
even though its sentence is "Show every key and what it does".
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from textual.actions import parse
from textual.app import App, SystemCommand
from textual.command import Hit, Hits
from textual.screen import Screen
from textual.system_commands import SystemCommandsProvider

from studyguide.tui.keys import GLOBAL_KEYS, Key

QUIT = "app.quit"


def key_commands(app: App, screen: Screen) -> Iterable[SystemCommand]:
    """The screen's keys, then the global keys it does not already have, that apply now."""
    own = [key for key in getattr(screen, "KEYS", ()) if key.palette]
    actions = {key.action for key in own}
    shared = [key for key in GLOBAL_KEYS if key.palette and key.action not in actions]
    for key in (*own, *shared):
        if applies(app, screen, key):
            yield SystemCommand(
                key.help,
                f"{key.label} · {key.display}",
                partial(screen.run_action, key.action),
            )


def textual_commands(screen: Screen, commands: Iterable[SystemCommand]) -> Iterable[SystemCommand]:
    """Textual's own commands, less those the app has already: "Keys" (the help screen,
    `?`, lists every key) and "Quit" where the screen has a quit key of its own."""
    has_quit = any(key.action == QUIT for key in getattr(screen, "KEYS", ()))
    for command in commands:
        if command.title == "Keys" or (has_quit and command.title == "Quit"):
            continue
        yield command


def applies(app: App, screen: Screen, key: Key) -> bool:
    """Whether the action would run now (a screen's `check_action` hides what does not)."""
    namespace, name, parameters = parse(key.action)
    target = app if namespace == "app" else screen
    return target.check_action(name, parameters) is not False


class Commands(SystemCommandsProvider):
    """Textual's system-command provider, searching the help line (label and key) too."""

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback, *_ in self.app.get_system_commands(self.screen):
            by_title = matcher.match(title)
            score = max(by_title, matcher.match(help_text))
            if score > 0:
                shown = matcher.highlight(title) if by_title else title
                yield Hit(score, shown, callback, text=title, help=help_text)
