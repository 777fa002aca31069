"""Small modal dialogs: confirm, a note, and the unreadable-progress choice."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from studyguide.progress import ProgressUnreadable
from studyguide.progress.backups import first_restorable, summarize
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


class ProgressProblemDialog(ModalScreen[Path | None]):
    """The progress file cannot be read: restore a backup that can be read, if there is
    one, or quit. Only what can be done is offered; the file is never overwritten.

    Dismisses with the backup to restore, or None to quit.
    """

    KEYS = (
        Key("r", "restore", "Restore backup", "Restore the backup", palette=False),
        Key("q,escape", "quit", "Quit", "Quit without changing anything", palette=False),
    )
    BINDINGS = bindings(KEYS)

    def __init__(self, problem: ProgressUnreadable) -> None:
        super().__init__()
        self.problem = problem
        self.backup = first_restorable(problem.path)  # None: there is nothing to offer

    def compose(self) -> ComposeResult:
        problem = self.problem
        with Vertical(classes="dialog", id="progress-problem"):
            yield Static(Text("Your progress file cannot be read", style="bold"))
            yield Static(
                Text(f"Cannot read the progress file {problem.path}: {problem.reason}."),
                classes="dialog-text",
            )
            yield Static(Text(self._offer()), classes="dialog-text")
            yield Static(Text("Nothing has been changed. The file will not be overwritten."))
            with Horizontal(classes="dialog-buttons"):
                if self.backup is not None:
                    yield Button(self._restore_label(), id="restore", variant="warning")
                yield Button("Quit (q)", id="quit")

    def _restore_label(self) -> str:
        assert self.backup is not None
        if self.backup == self.problem.backup:
            return "Restore backup (r)"
        day = self.backup.name.removeprefix(f"{self.problem.path.name}.").removesuffix(".bak")
        return f"Restore the backup of {day} (r)"

    def _offer(self) -> str:
        if self.backup is None:
            return (
                "There is no backup that can be read, so there is nothing to restore: "
                "repair the file by hand, or move it aside to start over."
            )
        summary = summarize(self.backup)
        return (
            f"The backup {self.backup} holds {summary.line()}. Restoring it keeps the "
            "unreadable file beside it, never deleted."
        )

    def on_mount(self) -> None:
        self.query_one(Vertical).border_title = "Progress problem"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "restore":
            return self.backup is not None  # no key shown for what cannot be done
        return True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(self.backup if event.button.id == "restore" else None)

    def action_restore(self) -> None:
        if self.backup is not None:
            self.dismiss(self.backup)

    def action_quit(self) -> None:
        self.dismiss(None)
