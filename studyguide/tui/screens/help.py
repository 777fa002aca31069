"""Every key, listed from the same definitions that make the bindings."""

from __future__ import annotations

import importlib

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Static

from studyguide.tui.keys import GLOBAL_KEYS, Key, bindings

# (heading, module holding a KEYS tuple); read lazily so help never imports a screen early.
SECTIONS = (
    ("Dashboard", "studyguide.tui.screens.dashboard"),
    ("Lessons", "studyguide.tui.screens.lessons"),
    ("Lesson reader", "studyguide.tui.screens.reader"),
    ("Review: answering", "studyguide.tui.screens.review"),
    ("Practice exam: choosing a length", "studyguide.tui.screens.exam_setup"),
    ("Practice exam", "studyguide.tui.screens.exam"),
    ("Practice exam: results", "studyguide.tui.screens.exam_results"),
    ("Statistics", "studyguide.tui.screens.stats"),
    ("Settings", "studyguide.tui.screens.settings"),
    ("Session summary", "studyguide.tui.screens.summary"),
    ("Session summary: a missed question", "studyguide.tui.screens.answered"),
)


def key_table(title: str, keys: tuple[Key, ...]) -> Table:
    table = Table(
        title=title,
        title_justify="left",
        show_header=False,
        box=None,
        padding=(0, 2, 0, 0),
        expand=True,
    )
    table.add_column("key", style="bold", no_wrap=True, width=14)
    table.add_column("what")
    for key in keys:
        if not key.in_help:
            continue
        table.add_row(Text(key.display), Text(key.help))
    return table


class HelpScreen(ModalScreen):
    KEYS = (Key("escape,q,question_mark", "dismiss", "Close", "Close the help", palette=False),)
    BINDINGS = bindings(KEYS)

    def __init__(self, over: Screen | None = None) -> None:
        super().__init__()
        self.over = over

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box", classes="dialog"):
            yield Static(key_table("Everywhere", GLOBAL_KEYS))
            for title, module in SECTIONS:
                keys = getattr(importlib.import_module(module), "ALL_KEYS", None) or getattr(
                    importlib.import_module(module), "KEYS", ()
                )
                yield Static(key_table(title, keys))
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#help-box").border_title = "Keys"

    def action_dismiss(self) -> None:
        self.dismiss()
