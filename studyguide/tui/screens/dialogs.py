"""Small modal dialogs: confirm, a note, and the unreadable-progress choice."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from studyguide.progress import ProgressUnreadable
from studyguide.tui.keys import Key, bindings


class ConfirmDialog(ModalScreen[bool]):
    KEYS = (
        Key("y", "answer(True)", "Yes", "Confirm", palette=False),
        Key("n,escape", "answer(False)", "No", "Cancel", palette=False),
    )
    BINDINGS = bindings(KEYS)

    def __init__(self, question: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question, self.yes, self.no = question, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.question), classes="dialog-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.yes} (y)", id="yes", variant="primary")
                yield Button(f"{self.no} (n)", id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


class NoteDialog(ModalScreen[str | None]):
    """Ask for a short note (flagging a question); Escape cancels."""

    KEYS = (Key("escape", "cancel", "Cancel", "Cancel", palette=False),)
    BINDINGS = bindings(KEYS)

    def __init__(self, title: str, placeholder: str = "") -> None:
        super().__init__()
        self.title_text, self.placeholder = title, placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.title_text), classes="dialog-text")
            yield Input(placeholder=self.placeholder, max_length=500, id="note")
            yield Static("Enter saves · Esc cancels", classes="dim")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ProgressProblemDialog(ModalScreen[bool]):
    """The progress file cannot be read: restore the backup, or quit. Never overwrite it."""

    KEYS = (
        Key("r", "choose(True)", "Restore backup", "Restore the backup", palette=False),
        Key("q,escape", "choose(False)", "Quit", "Quit without changing anything", palette=False),
    )
    BINDINGS = bindings(KEYS)

    def __init__(self, problem: ProgressUnreadable) -> None:
        super().__init__()
        self.problem = problem

    def compose(self) -> ComposeResult:
        has_backup = self.problem.backup.is_file()
        with Vertical(classes="dialog", id="progress-problem"):
            yield Static(Text("Your progress file cannot be read", style="bold"))
            yield Static(Text(str(self.problem)), classes="dialog-text")
            yield Static(Text("Nothing has been changed. The file will not be overwritten."))
            with Horizontal(classes="dialog-buttons"):
                yield Button(
                    "Restore backup (r)", id="restore", variant="warning", disabled=not has_backup
                )
                yield Button("Quit (q)", id="quit")

    def on_mount(self) -> None:
        self.query_one(Vertical).border_title = "Progress problem"

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "restore")

    def action_choose(self, restore: bool) -> None:
        if restore and not self.query_one("#restore", Button).disabled:
            self.dismiss(True)
        elif not restore:
            self.dismiss(False)
