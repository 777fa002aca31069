"""The exam's go-to list: every question with its answered and marked state."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from studyguide.course.model import Question
from studyguide.tui import render
from studyguide.tui.keys import Key, bindings


class QuestionList(OptionList, inherit_bindings=False):
    """The questions of the paper; Enter belongs to the dialog."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "cursor_down", "Down", show=False),
        Binding("up", "cursor_up", "Up", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
    ]


JUMP_KEYS = (
    Key("enter", "go", "Go", "Go to the highlighted question", palette=False),
    Key("escape", "close", "Close", "Close the list without moving", palette=False),
    Key("backspace", "clear", "Clear", "Clear the typed number", show=False, palette=False),
    *(
        Key(
            str(d),
            f"digit({d})",
            "Number",
            "Type a question number",
            show=False,
            palette=False,
            in_help=False,
        )
        for d in range(10)
    ),
)


class JumpDialog(ModalScreen[int | None]):
    """Every question with its state; type a number or pick one with the arrows."""

    KEYS = JUMP_KEYS
    BINDINGS = bindings(JUMP_KEYS)

    def __init__(self, rows: list[tuple[Question, bool, bool]], current: int) -> None:
        super().__init__()
        self.rows, self.current = rows, current
        self.typed = ""

    def compose(self) -> ComposeResult:
        with Vertical(id="jump-box", classes="dialog"):
            yield Static(id="jump-summary")
            yield QuestionList(*self._options(), id="jump-list")
            yield Static(id="jump-typed", classes="hint")

    def _options(self) -> list[Option]:
        width = len(str(len(self.rows)))
        options = []
        for number, (question, answered, marked) in enumerate(self.rows, 1):
            line = Text(no_wrap=True, overflow="ellipsis")
            line.append(f"{number:>{width}}. ", style="bold")
            line.append("● answered   " if answered else "○ unanswered ")
            line.append("⚑ marked " if marked else "         ", style="bold")
            line.append_text(render.literal(" ".join(question.prompt.split()), "dim"))
            options.append(Option(line, id=str(number)))
        return options

    def on_mount(self) -> None:
        self.query_one("#jump-box").border_title = "Go to question"
        total = len(self.rows)
        answered = sum(1 for _q, a, _m in self.rows if a)
        marked = sum(1 for _q, _a, m in self.rows if m)
        self.query_one("#jump-summary", Static).update(
            Text(
                f"Answered {answered} of {total} · unanswered {total - answered} · marked {marked}"
            )
        )
        questions = self.query_one(QuestionList)
        questions.highlighted = self.current
        questions.focus()
        self._show_typed()

    def _show_typed(self) -> None:
        typed = f"Go to: {self.typed}   " if self.typed else ""
        self.query_one("#jump-typed", Static).update(
            Text(f"{typed}Type a number or use ↑/↓, then Enter · Esc closes", style="dim")
        )

    def action_digit(self, digit: int) -> None:
        total = len(self.rows)
        candidate = self.typed + str(digit)
        if candidate[0] != "0" and int(candidate) <= total:
            self.typed = candidate
        elif 1 <= digit <= total:
            self.typed = str(digit)
        else:
            return
        self.query_one(QuestionList).highlighted = int(self.typed) - 1
        self._show_typed()

    def action_clear(self) -> None:
        self.typed = ""
        self._show_typed()

    def action_go(self) -> None:
        self.dismiss(self.query_one(QuestionList).highlighted)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # a mouse click on a question
        self.dismiss(event.option_index)

    def action_close(self) -> None:
        self.dismiss(None)
