"""Every key, listed from the same definitions that make the bindings."""

from __future__ import annotations

import importlib

from rich.cells import cell_len
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


def key_table(title: str, keys: tuple[Key, ...], key_width: int = 14) -> Table:
    """One section; every section gets the same `key_width`, so the columns line up."""
    table = Table(
        title=title,
        title_justify="left",
        show_header=False,
        box=None,
        padding=(0, 2, 0, 0),
        expand=True,
    )
    table.add_column("key", style="bold", no_wrap=True, width=key_width)
    table.add_column("what", ratio=1)
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
        sections = [("Everywhere", GLOBAL_KEYS)]
        for title, module in SECTIONS:
            loaded = importlib.import_module(module)
            sections.append(
                (title, getattr(loaded, "ALL_KEYS", None) or getattr(loaded, "KEYS", ()))
            )
        shown = [cell_len(k.display) for _t, keys in sections for k in keys if k.in_help]
        width = max(shown, default=1)
        with VerticalScroll(id="help-box", classes="dialog"):
            for title, keys in sections:
                yield Static(key_table(title, keys, width))
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#help-box").border_title = "Keys"

    def action_dismiss(self) -> None:
        self.dismiss()
